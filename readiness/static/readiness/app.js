// When an HTMX request is refused (403, 409, …) htmx swaps nothing; say why.
document.addEventListener("htmx:responseError", function (event) {
  var flash = document.getElementById("flash");
  if (!flash) return;
  var page = new DOMParser().parseFromString(event.detail.xhr.responseText, "text/html");
  var message = page.querySelector("[role=alert]");
  flash.textContent = message ? message.textContent.trim() : event.detail.xhr.statusText;
});
