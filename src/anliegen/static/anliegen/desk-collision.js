/* Collision notice: tell the desk socket which case this tab shows and whether the agent types; show who else does.
   The server keeps no list: every tab repeats its state each heartbeat, and a tab not heard of within its ttl
   (closed without a goodbye, asleep, offline) is dropped here. */
(function () {
  "use strict";

  const TYPING_IDLE_MS = 5000;
  let socket = null;
  let state = "viewing";
  let beat = null;
  let idle = null;
  const watchers = new Map(); // tab -> {agent, name, state, until}

  function caseId() {
    const timeline = document.getElementById("timeline");
    return timeline ? Number(timeline.dataset.caseId) : null;
  }

  function ownAgent() {
    const live = document.getElementById("desk-live");
    return live ? Number(live.dataset.agent) : null;
  }

  function send() {
    const id = caseId();
    if (!id || !socket || socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ type: "watch", case: id, state: state }));
  }

  function render() {
    const box = document.getElementById("case-watchers");
    if (!box) return;
    const now = Date.now();
    const lines = [];
    const seen = new Set();
    watchers.forEach(function (w, tab) {
      if (w.until < now || w.agent === ownAgent()) {
        if (w.until < now) watchers.delete(tab);
        return;
      }
      const key = w.agent + ":" + w.state;
      if (seen.has(key)) return; // the same colleague in two tabs is one line
      seen.add(key);
      const template = box.dataset["text" + w.state.charAt(0).toUpperCase() + w.state.slice(1)] || box.dataset.textViewing;
      lines.push({ typing: w.state !== "viewing", text: template.replace("{name}", w.name) });
    });
    // Typing first: that is the colleague about to answer the same customer.
    lines.sort(function (a, b) { return Number(b.typing) - Number(a.typing); });
    box.textContent = ""; // names are set as text, never as markup
    lines.forEach(function (line) {
      const item = document.createElement("span");
      item.className = line.typing ? "watcher typing" : "watcher";
      item.textContent = line.text;
      box.appendChild(item);
    });
    box.hidden = lines.length === 0;
  }

  function setState(next) {
    if (next === state) return;
    state = next;
    send();
  }

  document.addEventListener("desk-socket", function (event) {
    socket = event.detail;
    watchers.clear();
    render();
    send();
  });

  document.addEventListener("desk-watch", function (event) {
    const frame = event.detail;
    if (frame.case !== caseId()) return;
    if (frame.type === "case.watching") {
      clearInterval(beat);
      beat = setInterval(send, frame.heartbeat * 1000);
    } else if (frame.type === "case.watcher") {
      if (frame.state === "left") watchers.delete(frame.tab);
      else watchers.set(frame.tab, { agent: frame.agent, name: frame.name, state: frame.state, until: Date.now() + frame.ttl * 1000 });
      render();
    }
  });

  document.addEventListener("input", function (event) {
    const form = event.target.closest && event.target.closest(".composer form");
    if (!form || event.target.name !== "text") return;
    setState(form.closest(".composer.note") ? "noting" : "typing");
    clearTimeout(idle);
    idle = setTimeout(function () { setState("viewing"); }, TYPING_IDLE_MS);
  });

  // A reply sent swaps the case part in again (with an empty notice box): fill it from what is known.
  document.addEventListener("htmx:afterSwap", render);
  setInterval(render, 1000);
})();
