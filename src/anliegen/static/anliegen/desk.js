/* The desk's live part: one websocket per page; new or changed cases refresh the lists and the open case. */
(function () {
  "use strict";

  // Form errors come back as 422 with the form re-rendered: swap them in like a success.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ];

  let retryDelay = 1000;
  let noticeTimer = null;
  let leaving = false; // a page change closes the socket too; that is no outage
  window.addEventListener("pagehide", function () { leaving = true; });

  function showNotice(live, text, href) {
    const box = document.getElementById("desk-notice");
    if (!box) return;
    box.textContent = "";
    const link = document.createElement(href ? "a" : "span");
    if (href) link.href = href;
    link.textContent = text; // textContent: a subject is customer text, never markup
    box.appendChild(link);
    box.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () { box.hidden = true; }, 8000);
  }

  function handle(live, event) {
    if (!event || !event.type) return;
    if (event.type.indexOf("case.watch") === 0) {
      // Who else has the open case in front of them: desk-collision.js shows it; no list needs refreshing.
      document.dispatchEvent(new CustomEvent("desk-watch", { detail: event }));
      return;
    }
    // The lists ask the server again, so a case that did not exist when the page loaded appears too.
    htmx.trigger(document.body, "desk-refresh", event);
    const timeline = document.getElementById("timeline");
    if (timeline && Number(timeline.dataset.caseId) === event.case) {
      htmx.trigger(document.body, "desk-case-refresh", event);
    }
    if (event.type === "phone.ringing" && (event.agents || []).indexOf(Number(live.dataset.agent)) >= 0) {
      // The call rings here: show who it is and their case (the panel is rendered by the server, brand-scoped).
      const box = document.getElementById("phone-pop");
      if (box) {
        htmx.ajax("GET", live.dataset.popUrl.replace("/0/", "/" + Number(event.call) + "/"), { target: box, swap: "innerHTML" })
          .then(function () { box.hidden = false; });
      }
      return;
    }
    const alarms = { "sla.risk": live.dataset.textSlaRisk, "sla.breach": live.dataset.textSlaBreach, "csat.low": live.dataset.textCsatLow };
    if (alarms[event.type] && (event.agents || []).indexOf(Number(live.dataset.agent)) >= 0) {
      // An alarm for this person: a service level (owner and supervisors), a poor rating (the supervisor).
      const text = alarms[event.type];
      showNotice(live, text + ": " + (event.subject || ""), live.dataset.caseUrl.replace("/0/", "/" + Number(event.case) + "/"));
      return;
    }
    if (event.type === "case.created") {
      showNotice(live, live.dataset.textNew + ": " + (event.subject || ""), live.dataset.caseUrl.replace("/0/", "/" + Number(event.case) + "/"));
    }
  }

  function connect(live) {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + live.dataset.wsPath);
    let opened = false;
    socket.addEventListener("open", function () {
      opened = true;
      retryDelay = 1000;
      document.body.classList.remove("desk-offline");
      document.dispatchEvent(new CustomEvent("desk-socket", { detail: socket }));
    });
    socket.addEventListener("message", function (message) {
      try {
        handle(live, JSON.parse(message.data));
      } catch (err) {
        console.error("desk event", err);
      }
    });
    socket.addEventListener("close", function () {
      if (leaving) return;
      // Server restarts and network drops heal by themselves; the backoff keeps a signed-out tab cheap.
      document.body.classList.add("desk-offline");
      if (opened) showNotice(live, live.dataset.textOffline, null);
      setTimeout(function () { connect(live); }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  function presenceAutoSubmit() {
    document.querySelectorAll("form.presence select").forEach(function (select) {
      select.addEventListener("change", function () {
        select.className = "presence-" + select.value;
        select.form.submit();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    presenceAutoSubmit();
    const live = document.getElementById("desk-live");
    if (live && "WebSocket" in window) connect(live);
  });
  window.addEventListener("pageshow", function (shown) {
    // Back from the browser's page cache: the old socket is gone and the lists may be stale.
    if (!shown.persisted) return;
    leaving = false;
    const live = document.getElementById("desk-live");
    if (live) connect(live);
    htmx.trigger(document.body, "desk-refresh");
  });
})();

// "Insert a help article": the chosen article's title and public link go into the reply at the cursor.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-insert-link]");
  if (!button) return;
  const form = button.closest("form");
  const text = form && form.querySelector("textarea[name=text]");
  if (!text) return;
  const at = text.selectionStart ?? text.value.length;
  const link = button.dataset.insertLink;
  text.value = text.value.slice(0, at) + (at && text.value[at - 1] !== "\n" ? "\n" : "") + link + "\n" + text.value.slice(at);
  text.focus();
});
