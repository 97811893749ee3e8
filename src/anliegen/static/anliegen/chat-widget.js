/* Anliegen chat widget: one <script src=".../static/anliegen/chat-widget.js" data-brand="slug" defer></script>.
   Vanilla JS, no build, no inline script or style (CSP-safe): the stylesheet is loaded from the same host. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.AnliegenChat) return;
  var base = new URL(script.src).origin;
  var brand = script.dataset.brand;
  var lang = (script.dataset.lang || document.documentElement.lang || navigator.language || "en").slice(0, 2);
  lang = lang === "de" ? "de" : "en";
  var T = {
    de: { open: "Chat", title: "Chat mit uns", close: "Schließen", send: "Senden", placeholder: "Ihre Nachricht",
      file: "Datei anhängen", answers: "Es antwortet", wait: "Antwort meist in etwa %s Min.", typing: "%s schreibt …",
      offline: "Gerade ist niemand online. Hinterlassen Sie Ihre E-Mail-Adresse, dann kommt die Antwort per E-Mail.",
      email: "E-Mail-Adresse", emailSave: "Antwort per E-Mail", transcript: "Verlauf per E-Mail schicken",
      saved: "Danke, der Rest kommt an %s.", sent: "Der Verlauf ist unterwegs.", owner: "%s kümmert sich um Ihr Anliegen.",
      incidents: "Bekannte Störungen", articles: "Vielleicht hilft das:", resume: "Später weiterschreiben: Link kopieren", copied: "Link kopiert.",
      reconnect: "Verbindung unterbrochen, neuer Versuch …", you: "Sie", expired: "Das alte Gespräch ist abgelaufen; hier beginnt ein neues.",
      errors: { rate_limited: "Zu viele Nachrichten, bitte kurz warten.", file_type: "Nur Bilder (PNG, JPEG, GIF, WebP) und PDF.",
        file_too_large: "Die Datei ist zu groß.", bad_email: "Das ist keine E-Mail-Adresse.", too_large: "Die Nachricht ist zu lang.",
        server: "Das ging gerade nicht, bitte noch einmal versuchen." } },
    en: { open: "Chat", title: "Chat with us", close: "Close", send: "Send", placeholder: "Your message",
      file: "Attach a file", answers: "Answering you", wait: "Answer usually in about %s min.", typing: "%s is typing …",
      offline: "Nobody is online right now. Leave your e-mail address and the answer comes by e-mail.",
      email: "E-mail address", emailSave: "Answer by e-mail", transcript: "E-mail me the transcript",
      saved: "Thank you, the rest goes to %s.", sent: "The transcript is on its way.", owner: "%s is looking after your request.",
      incidents: "Known problems", articles: "This may help:", resume: "Continue later: copy link", copied: "Link copied.",
      reconnect: "Connection lost, trying again …", you: "You", expired: "The old conversation has expired; this is a new one.",
      errors: { rate_limited: "Too many messages, please wait a moment.", file_type: "Images (PNG, JPEG, GIF, WebP) and PDF only.",
        file_too_large: "The file is too large.", bad_email: "That is not an e-mail address.", too_large: "The message is too long.",
        server: "That did not work just now, please try again." } }
  }[lang];
  var KEY = "anliegen-chat:" + brand;
  var socket = null, delay = 1000, pending = {}, seen = {}, typingTimer = null, lastTyping = 0, ownerShown = false;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text; // always text: nothing from the server is ever markup here
    return node;
  }
  function fmt(s, v) { return s.replace("%s", v); }
  function token() {
    var m = location.hash.match(/anliegen-chat=([\w:.\-]+)/);
    if (m) { try { localStorage.setItem(KEY, m[1]); } catch (e) { /* storage off: the link still works */ } return m[1]; }
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function keep(t) { try { if (t) localStorage.setItem(KEY, t); else localStorage.removeItem(KEY); } catch (e) { /* ignore */ } }

  var css = el("link", { rel: "stylesheet", href: base + "/static/anliegen/chat-widget.css" });
  document.head.appendChild(css);
  var root = el("div", { "class": "anliegen-chat", lang: lang });
  var launcher = el("button", { type: "button", "class": "ac-launcher", "aria-expanded": "false", "aria-controls": "ac-panel" }, T.open);
  var panel = el("section", { id: "ac-panel", "class": "ac-panel", role: "dialog", "aria-label": T.title, hidden: "" });
  var head = el("header", { "class": "ac-head" });
  var avatar = el("span", { "class": "ac-avatar", "aria-hidden": "true" });
  var who = el("div", { "class": "ac-who" });
  var ownerName = el("strong", { "class": "ac-owner" });
  var waitLine = el("span", { "class": "ac-wait" });
  var closer = el("button", { type: "button", "class": "ac-close", "aria-label": T.close }, "×");
  who.append(el("span", { "class": "ac-label" }, T.answers), ownerName, waitLine);
  head.append(avatar, who, closer);
  var incidents = el("div", { "class": "ac-incidents", hidden: "" });
  var articles = el("div", { "class": "ac-articles", hidden: "" });
  var log = el("ol", { "class": "ac-log", role: "log", "aria-live": "polite", "aria-label": T.title });
  var status = el("p", { "class": "ac-status", role: "status", "aria-live": "polite" });
  var typing = el("p", { "class": "ac-typing", "aria-live": "polite" });
  var form = el("form", { "class": "ac-form" });
  var input = el("textarea", { rows: "2", "aria-label": T.placeholder, placeholder: T.placeholder, maxlength: "4000" });
  var fileLabel = el("label", { "class": "ac-file" }, "📎");
  var file = el("input", { type: "file", accept: "image/png,image/jpeg,image/gif,image/webp,application/pdf", "aria-label": T.file });
  fileLabel.appendChild(file);
  var send = el("button", { type: "submit" }, T.send);
  form.append(input, fileLabel, send);
  var mailForm = el("form", { "class": "ac-mail" });
  var offlineNote = el("p", { "class": "ac-offline", hidden: "" }, T.offline);
  var mail = el("input", { type: "email", "aria-label": T.email, placeholder: T.email, autocomplete: "email" });
  var wantTranscript = el("input", { type: "checkbox", id: "ac-transcript" });
  var transcriptLabel = el("label", { "for": "ac-transcript" }, T.transcript);
  var mailSend = el("button", { type: "submit" }, T.emailSave);
  var resumeLink = el("button", { type: "button", "class": "ac-resume", hidden: "" }, T.resume);
  mailForm.append(offlineNote, mail, wantTranscript, transcriptLabel, mailSend);
  panel.append(head, incidents, articles, log, typing, status, form, mailForm, resumeLink);
  root.append(launcher, panel);

  function say(text) { status.textContent = text; }
  function line(frame) {
    if (frame.id && seen[frame.id]) return;
    if (frame.id) seen[frame.id] = true;
    var item = el("li", { "class": "ac-line ac-" + (frame.from || "system") });
    if (frame.from) item.appendChild(el("span", { "class": "ac-author" }, frame.from === "visitor" ? T.you : (frame.author || "")));
    item.appendChild(el("span", { "class": "ac-text" }, frame.text || ""));
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }
  function showOwner(owner) {
    if (!owner) return;
    ownerName.textContent = owner.name;
    avatar.textContent = owner.initials;
  }
  function showArticles(list) {
    articles.textContent = "";
    articles.hidden = !(list && list.length);
    if (articles.hidden) return;
    articles.appendChild(el("strong", {}, T.articles));
    list.forEach(function (a) {
      if (!/^https?:/.test(a.url)) return; // only web links, never javascript:
      var p = el("p");
      p.appendChild(el("a", { href: a.url, target: "_blank", rel: "noopener" }, a.title));
      articles.appendChild(p);
    });
  }
  function welcome(f) {
    showOwner(f.owner);
    waitLine.textContent = f.wait_seconds ? fmt(T.wait, Math.max(1, Math.round(f.wait_seconds / 60))) : "";
    offlineNote.hidden = !!f.online;
    incidents.textContent = "";
    incidents.hidden = !(f.incidents && f.incidents.length);
    if (!incidents.hidden) {
      incidents.appendChild(el("strong", {}, T.incidents));
      f.incidents.forEach(function (i) { incidents.appendChild(el("p", {}, i.title + (i.text ? ": " + i.text : ""))); });
    }
    showArticles(f.articles);
    if (f.resume_error) { keep(null); say(T.expired); }
    if (f.resume) { keep(f.resume); resumeLink.hidden = false; }
    if (f.email) mail.value = f.email;
    (f.history || []).forEach(line);
    Object.keys(pending).forEach(function (id) { transmit(pending[id].frame); }); // unanswered lines go again, same id
  }
  function handle(f) {
    if (f.type === "welcome") welcome(f);
    else if (f.type === "ack") {
      var p = pending[f.id];
      delete pending[f.id];
      if (p && p.node) p.node.classList.remove("ac-pending");
      if (f.message) seen[f.message] = true;
      if (f.resume) { keep(f.resume); resumeLink.hidden = false; }
      if (f.owner && !ownerShown) { ownerShown = true; showOwner(f.owner); line({ text: fmt(T.owner, f.owner.name) }); }
    } else if (f.type === "message") { typing.textContent = ""; line(f); }
    else if (f.type === "typing") {
      typing.textContent = fmt(T.typing, f.author || "");
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { typing.textContent = ""; }, 4000);
    } else if (f.type === "email_saved") say(fmt(T.saved, f.address) + (f.transcript ? " " + T.sent : ""));
    else if (f.type === "transcript_sent") say(T.sent);
    else if (f.type === "articles") showArticles(f.articles);
    else if (f.type === "error") {
      if (f.id && pending[f.id]) { if (pending[f.id].node) pending[f.id].node.classList.add("ac-failed"); delete pending[f.id]; }
      say(T.errors[f.code] || f.detail || f.code);
    }
  }
  function transmit(frame) {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(frame));
  }
  function connect() {
    socket = new WebSocket(base.replace(/^http/, "ws") + "/ws/chat/" + encodeURIComponent(brand) + "/");
    socket.onopen = function () {
      delay = 1000;
      say("");
      socket.send(JSON.stringify({ type: "hello", resume: token(), page: location.href, title: document.title, lang: lang }));
    };
    socket.onmessage = function (m) { try { handle(JSON.parse(m.data)); } catch (e) { /* a bad frame is skipped */ } };
    socket.onclose = function (e) {
      if (e.code === 4403 || e.code === 4404) return; // this site may not embed the chat: no retry storm
      say(T.reconnect);
      setTimeout(connect, delay + Math.random() * 500); // backoff with jitter: a restart is not a stampede
      delay = Math.min(delay * 2, 30000);
    };
  }
  function id() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 10); }
  function submitLine() {
    var text = input.value.trim();
    if (!text) return;
    var frame = { type: "message", id: id(), text: text };
    var node = line({ from: "visitor", text: text });
    node.classList.add("ac-pending");
    pending[frame.id] = { frame: frame, node: node };
    input.value = "";
    transmit(frame);
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); submitLine(); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); submitLine(); }
  });
  var suggestTimer = null;
  input.addEventListener("input", function () {
    if (Date.now() - lastTyping > 2000) { lastTyping = Date.now(); transmit({ type: "typing" }); }
    clearTimeout(suggestTimer); // after a pause, before the first line: help articles about what is typed
    if (!ownerShown && input.value.trim().length > 12) {
      suggestTimer = setTimeout(function () { transmit({ type: "suggest", text: input.value.trim() }); }, 800);
    }
  });
  file.addEventListener("change", function () {
    var f = file.files[0];
    if (!f) return;
    var reader = new FileReader();
    reader.onload = function () {
      var frame = { type: "upload", id: id(), name: f.name, content_type: f.type, data: String(reader.result).split(",")[1] };
      line({ from: "visitor", text: f.name });
      transmit(frame);
      file.value = "";
    };
    reader.readAsDataURL(f);
  });
  mailForm.addEventListener("submit", function (e) {
    e.preventDefault();
    transmit({ type: "email", address: mail.value.trim(), transcript: wantTranscript.checked });
  });
  resumeLink.addEventListener("click", function () {
    var link = location.href.split("#")[0] + "#anliegen-chat=" + token();
    if (navigator.clipboard) navigator.clipboard.writeText(link).then(function () { say(T.copied); }, function () { say(link); });
    else say(link);
  });
  function toggle(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    if (open) input.focus(); else launcher.focus();
  }
  launcher.addEventListener("click", function () { toggle(panel.hidden); });
  closer.addEventListener("click", function () { toggle(false); });
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") toggle(false); });
  window.AnliegenChat = { open: function () { toggle(true); } };
  function start() { document.body.appendChild(root); connect(); }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
