/* The desk's chat page: one socket for all chats of the agent's brands; lines and typing both ways. */
(function () {
  "use strict";
  var box, socket, delay = 1000, lastTyping = {};

  function panel(id) { return box.querySelector('[data-conversation="' + Number(id) + '"]'); }
  function addLine(p, f) {
    var log = p.querySelector(".chat-log");
    if (f.id && log.querySelector('[data-id="' + Number(f.id) + '"]')) return;
    var li = document.createElement("li");
    li.className = "chat-line from-" + f.from;
    if (f.id) li.dataset.id = f.id;
    var who = document.createElement("span");
    who.className = "chat-author";
    who.textContent = f.from === "visitor" ? (log.dataset.customer || "") : f.author; // text, never markup
    li.append(who, " " + f.text);
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
    p.querySelector(".chat-typing").textContent = "";
  }
  function load(id, then) {
    fetch(box.dataset.panelUrl.replace("/0/", "/" + Number(id) + "/"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        if (!html || panel(id)) return;
        var holder = document.createElement("div");
        holder.innerHTML = html; // our own server-rendered, escaped template
        var p = holder.firstElementChild;
        box.querySelector(".chats-empty").hidden = true;
        box.insertBefore(p, box.querySelector(".chat-panel"));
        wire(p);
        if (then) then(p);
      });
  }
  function handle(f) {
    var p = panel(f.conversation);
    if (f.type === "chat.message") {
      if (p) addLine(p, f); else load(f.conversation);
    } else if (f.type === "chat.typing" && p) {
      var t = p.querySelector(".chat-typing");
      t.textContent = box.dataset.textTyping;
      clearTimeout(t._timer);
      t._timer = setTimeout(function () { t.textContent = ""; }, 4000);
    } else if (f.type === "chat.presence" && p) {
      p.querySelector(".chat-presence").textContent = f.online ? box.dataset.textOnline : box.dataset.textLeft;
    }
  }
  function wire(p) {
    var form = p.querySelector(".chat-say"), input = form.querySelector("textarea"), id = p.dataset.conversation;
    function say() {
      var text = input.value.trim();
      if (!text || !socket || socket.readyState !== 1) return;
      socket.send(JSON.stringify({ type: "say", conversation: Number(id), text: text }));
      input.value = "";
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); say(); });
    input.addEventListener("keydown", function (e) { if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); say(); } });
    input.addEventListener("input", function () {
      if (socket && socket.readyState === 1 && Date.now() - (lastTyping[id] || 0) > 2000) {
        lastTyping[id] = Date.now();
        socket.send(JSON.stringify({ type: "typing", conversation: Number(id) }));
      }
    });
  }
  function connect() {
    socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + box.dataset.wsPath);
    socket.onopen = function () { delay = 1000; };
    socket.onmessage = function (m) { try { handle(JSON.parse(m.data)); } catch (e) { console.error("chat event", e); } };
    socket.onclose = function () { setTimeout(connect, delay); delay = Math.min(delay * 2, 30000); };
  }
  document.addEventListener("DOMContentLoaded", function () {
    box = document.getElementById("chats");
    if (!box) return;
    box.querySelectorAll(".chat-panel").forEach(wire);
    connect();
  });
})();
