//! Any value bound to any parameter type: refused, or bound as one term that leaves the query's
//! shape as it was (the bound query prints and parses back), never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mss_kg::queries::{Origin, parse};

const QUERY: &str = "PREFIX xsdt: <http://www.w3.org/2001/XMLSchema#>
SELECT * WHERE {
  ?s ?p ?o .
  OPTIONAL { ?s ?q ?__iri_iri }
  FILTER(!BOUND(?__n_number) || ?o = ?__n_number)
  FILTER(!BOUND(?__d_xsd_date) || ?o = ?__d_xsd_date)
  FILTER(!BOUND(?__t_xsdt_dateTime) || ?o = ?__t_xsdt_dateTime)
  FILTER(!BOUND(?__l_en) || ?o = ?__l_en)
  FILTER(!BOUND(?__s) || ?o = ?__s)
  FILTER(!BOUND(?__i_integer) || ?o = ?__i_integer)
}";

fuzz_target!(|input: (u8, &str)| {
    let (which, value) = input;
    let saved = parse("fuzzed", Origin::Bundled, QUERY).expect("the query parses");
    let param = &saved.params[usize::from(which) % saved.params.len()];
    let given = vec![(param.name.clone(), value.to_owned())];
    if let Ok(query) = saved.algebra(&given) {
        let text = query.to_string();
        assert!(
            spargebra::SparqlParser::new().parse_query(&text).is_ok(),
            "a bound query prints as SPARQL that parses: {text}"
        );
    }
});
