// htmx does not swap 4xx/5xx answers; say what went wrong instead of failing silently.
(function () {
  function banner() { return document.getElementById("htmx-error"); }
  function show(text) {
    var box = banner();
    if (!box) { return; }
    box.textContent = text;
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("htmx:beforeRequest", function () {
    var box = banner();
    if (box) { box.hidden = true; }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var doc = new DOMParser().parseFromString(event.detail.xhr.responseText || "", "text/html");
    var title = doc.querySelector(".error-page h1");
    var detail = doc.querySelector(".error-page p:not(.error-code)");
    var fallback = banner() ? banner().dataset.failed : "";
    show(title ? title.textContent + ": " + (detail ? detail.textContent : "") : fallback);
  });
  document.addEventListener("htmx:sendError", function () {
    show(banner() ? banner().dataset.offline : "");
  });
})();
