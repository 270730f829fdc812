// Sverka's only script. Everything interactive is htmx attributes in the templates; this file only tells
// the reader when a background request fails, which htmx would otherwise do silently.
(function () {
  "use strict";

  function banner() {
    return document.getElementById("client-error");
  }

  function show(text) {
    var el = banner();
    if (!el) return;
    el.textContent = text;
    el.hidden = false;
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    show(status === 403 || status === 401
      ? "Your session has ended. Reload the page and log in again."
      : "Something went wrong on the server (" + status + "). Reload the page to try again.");
  });

  document.addEventListener("htmx:sendError", function () {
    show("Sverka cannot be reached. Check your connection; the page will catch up when it is back.");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var el = banner();
    if (el && event.detail.successful) el.hidden = true;
  });
})();
