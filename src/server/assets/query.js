// The query page: YASGUI on this server's endpoint, with the graph's prefixes, and nothing asked
// of other sites (no endpoint catalogue, no prefix.cc or LOV autocompletion). Results that are
// entities of the graph link to their page here.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("mss-kg-config").textContent);
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  Yasgui.Yasqe.defaults.value = config.query;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: "/sparql", method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return []; } },
    persistenceId: null,
    yasqe: { value: config.query, autocompleters: ["variables"] },
    // IRIs in results shortened with the graph's prefixes, even when the query declares none.
    yasr: Object.assign({}, Yasgui.Yasr.defaults, { prefixes: config.prefixes }),
  });
  var ours = "https://w3id.org/mss-kg/";
  function relink(root) {
    root.querySelectorAll('a[href^="' + ours + '"]').forEach(function (a) {
      a.setAttribute("href", "/entity?iri=" + encodeURIComponent(a.getAttribute("href")));
      a.removeAttribute("target");
    });
  }
  var box = document.getElementById("yasgui");
  new MutationObserver(function () { relink(box); }).observe(box, { childList: true, subtree: true });
  window.mssKgYasgui = yasgui;
})();
