// Contact form: while the customer types, ask for matching incidents and help articles (debounced).
// The suggestions sit beside the form; the form and its send button stay exactly as they are.
(function () {
  "use strict";
  var box = document.getElementById("suggestions");
  if (!box || !window.fetch) return;
  var form = box.closest("form");
  var subject = form.querySelector("[name=subject]");
  var text = form.querySelector("[name=text]");
  var timer = null, last = "", seq = 0;

  function ask() {
    var q = ((subject && subject.value) || "") + " " + ((text && text.value) || "");
    q = q.trim();
    if (q === last) return;
    last = q;
    var mine = ++seq;
    var url = box.dataset.url + "?q=" + encodeURIComponent(q.slice(0, 1000)) + "&visit=" +
      encodeURIComponent(box.dataset.visit || "") + (box.dataset.lang ? "&lang=" + box.dataset.lang : "");
    fetch(url, {headers: {"Accept": "text/html"}}).then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { if (mine === seq) box.innerHTML = html; })
      .catch(function () {});
  }

  function later() { clearTimeout(timer); timer = setTimeout(ask, 350); }
  if (subject) subject.addEventListener("input", later);
  if (text) text.addEventListener("input", later);

  box.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-solved]");
    if (!button) return;
    event.preventDefault();
    var body = new URLSearchParams({visit: box.dataset.visit || "", article: button.dataset.article || ""});
    fetch(box.dataset.solvedUrl, {method: "POST", body: body}).then(function () {
      var done = box.querySelector(".solved-thanks");
      if (done) { done.hidden = false; done.focus(); }
      button.disabled = true;
    });
  });
})();
