/* Drafts: what the agent types into a case's reply or note is kept on the server (per agent and case), so it is
   back after another case, a reload or on another device. Saved shortly after typing stops and when the page is
   left; the server deletes it when the reply or note is sent. */
(function () {
  "use strict";

  const DELAY_MS = 600;
  const pending = new Map(); // form -> timer
  const saved = new Map(); // draft url + kind -> the text the server has

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (err) {
      return "";
    }
  }

  function field(form) {
    return form.querySelector("textarea[name=text]");
  }

  function save(form, leaving) {
    clearTimeout(pending.get(form));
    pending.delete(form);
    const text = field(form);
    const key = form.dataset.draftUrl + form.dataset.draftKind;
    if (!text || saved.get(key) === text.value) return;
    saved.set(key, text.value);
    const body = new URLSearchParams({ kind: form.dataset.draftKind, text: text.value });
    // keepalive: the request outlives the page when the agent moves on to the next case.
    fetch(form.dataset.draftUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: leaving === true && body.toString().length < 60000,
      headers: { "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      if (!response.ok) saved.delete(key); // try again with the next keystroke
    }).catch(function () { saved.delete(key); });
  }

  function forms() {
    return document.querySelectorAll("form[data-draft-url]");
  }

  function remember() {
    // A page as loaded shows what the server has (the draft, or nothing); a part swapped in later may show
    // something else (a text block just put in, an empty composer after sending): that is saved.
    forms().forEach(function (form) {
      const text = field(form);
      const key = form.dataset.draftUrl + form.dataset.draftKind;
      if (!text) return;
      if (!saved.has(key)) saved.set(key, text.defaultValue);
      else if (text.value !== saved.get(key)) save(form);
    });
  }

  document.addEventListener("input", function (event) {
    const form = event.target.closest && event.target.closest("form[data-draft-url]");
    if (!form || event.target.name !== "text") return;
    clearTimeout(pending.get(form));
    pending.set(form, setTimeout(function () { save(form); }, DELAY_MS));
  });

  // Sending: no late save may bring the draft back after the server deleted it.
  document.addEventListener("submit", function (event) {
    const form = event.target.closest && event.target.closest("form[data-draft-url]");
    if (form) { clearTimeout(pending.get(form)); pending.delete(form); }
  }, true);
  document.addEventListener("htmx:beforeRequest", function (event) {
    const form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-draft-url]");
    if (form) { clearTimeout(pending.get(form)); pending.delete(form); }
  });

  function flush() {
    pending.forEach(function (_timer, form) { save(form, true); });
  }
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () { if (document.hidden) flush(); });
  document.addEventListener("htmx:afterSwap", remember);
  document.addEventListener("DOMContentLoaded", remember);
})();
