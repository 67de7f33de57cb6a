//! Any HTTP request `serve --writable` could be sent (method, path and query string, headers,
//! body), handled without a network: an answer with a status, never a panic, and the server's
//! store still answers afterwards.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mss_kg::server::{Endpoint, Options};
use oxhttp::model::{Body, Method, Request};
use std::sync::OnceLock;

fn endpoint() -> &'static Endpoint {
    static ENDPOINT: OnceLock<Endpoint> = OnceLock::new();
    ENDPOINT.get_or_init(|| {
        let store = oxigraph::store::Store::new().expect("a store");
        mss_kg::bundle::sync(&store, None).expect("the bundled graph");
        let options = Options {
            writes: mss_kg::server::store::Writes {
                enabled: true,
                token: Some("fuzz".to_owned()),
            },
            ..Options::default()
        };
        Endpoint::new(store, options)
    })
}

fuzz_target!(|input: (u8, &str, Vec<(String, String)>, &[u8])| {
    let (method, target, headers, body) = input;
    let method = [Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::HEAD, Method::OPTIONS]
        [usize::from(method) % 6]
        .clone();
    let uri = format!("http://127.0.0.1:7878/{}", target.trim_start_matches('/'));
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers.iter().take(8) {
        request = request.header(name.as_str(), value.as_str());
    }
    let Ok(mut request) = request.body(Body::from(body.to_vec())) else {
        return;
    };
    let response = endpoint().handle(&mut request);
    assert!(response.status().as_u16() >= 100);
});
