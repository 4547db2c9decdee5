// When an HTMX request is refused (403, 409, …) htmx swaps nothing; say why.
document.addEventListener("htmx:responseError", function (event) {
  var flash = document.getElementById("flash");
  if (!flash) return;
  var page = new DOMParser().parseFromString(event.detail.xhr.responseText, "text/html");
  // The page's own message, inside main: the first alert of a whole page is its empty #flash.
  var message = page.querySelector("main [role=alert]");
  flash.textContent = message ? message.textContent.trim() : event.detail.xhr.statusText;
});
