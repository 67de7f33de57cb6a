//! The HTTP side of the SPARQL 1.1 Protocol: request parameters, bodies, content negotiation and
//! plain-text error responses.

use oxhttp::model::header::{CONTENT_TYPE, HeaderName, RETRY_AFTER};
use oxhttp::model::{Body, Request, Response, StatusCode};
use std::io::Read;

/// A failed request: its status and a one-line message for the client.
pub type HttpError = (StatusCode, String);

/// The most a request body (a query or a form) may hold.
pub const MAX_BODY: u64 = 16 << 20;

/// Request parameters, from a URL's query string or a form body, percent-decoded.
pub struct Params {
    pub pairs: Vec<(String, String)>,
}

impl Params {
    pub fn parse(bytes: &[u8]) -> Self {
        Self {
            pairs: form_urlencoded::parse(bytes).into_owned().collect(),
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == key)
    }

    /// The one value of `key`: missing or repeated is an error.
    pub fn one(&mut self, key: &str) -> Result<String, HttpError> {
        let mut values = self.all(key);
        match values.len() {
            1 => Ok(values.remove(0)),
            0 => Err(bad_request(format!("parameter '{key}' is missing"))),
            _ => Err(bad_request(format!(
                "parameter '{key}' is given more than once"
            ))),
        }
    }

    /// Every value of `key`, taken out of the parameters.
    pub fn all(&mut self, key: &str) -> Vec<String> {
        let (wanted, rest) = std::mem::take(&mut self.pairs)
            .into_iter()
            .partition(|(k, _)| k == key);
        self.pairs = rest;
        wanted.into_iter().map(|(_, v)| v).collect()
    }
}

/// The request body, refused past `max` bytes (`--max-body`, [`MAX_BODY`] by default).
pub fn read_body(request: &mut Request<Body>, max: u64) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::new();
    request
        .body_mut()
        .take(max + 1)
        .read_to_end(&mut body)
        .map_err(|e| bad_request(format!("cannot read the request body: {e}")))?;
    if body.len() as u64 > max {
        return Err((
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is over {max} bytes (--max-body)"),
        ));
    }
    Ok(body)
}

/// Refuses a body whose Content-Type names a charset other than UTF-8 (SPARQL is UTF-8).
pub fn utf8_only(request: &Request<Body>) -> Result<(), HttpError> {
    let Some(value) = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(());
    };
    for param in value.split(';').skip(1) {
        if let Some((key, charset)) = param.split_once('=')
            && key.trim().eq_ignore_ascii_case("charset")
        {
            let charset = charset.trim().trim_matches('"');
            if !charset.eq_ignore_ascii_case("utf-8") && !charset.eq_ignore_ascii_case("utf8") {
                return Err((
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!("the body is in {charset}: SPARQL is sent in UTF-8"),
                ));
            }
        }
    }
    Ok(())
}

/// The media type of a header, without parameters, lower-cased.
pub fn media_type(request: &Request<Body>, header: HeaderName) -> Option<String> {
    let value = request.headers().get(header)?.to_str().ok()?;
    Some(
        value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

/// The format an `Accept` header prefers among those `parse` knows; `default` for none, `*/*` or
/// `type/*`; 406 when nothing it lists can be served.
pub fn negotiate<F: Copy>(
    accept: Option<&str>,
    parse: impl Fn(&str) -> Option<F>,
    default: F,
) -> Result<F, HttpError> {
    let Some(header) = accept else {
        return Ok(default);
    };
    let mut best: Option<(f32, F)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        if media.is_empty() {
            continue;
        }
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q=").map(str::trim))
            .next_back()
            .map_or(Ok(1.0), str::parse::<f32>)
            .map_err(|_| bad_request(format!("invalid quality in Accept: '{item}'")))?;
        let format = if media == "*/*" || media.ends_with("/*") {
            Some(default)
        } else {
            parse(&media)
        };
        if let Some(format) = format
            && q > 0.0
            && best.is_none_or(|(b, _)| q > b)
        {
            best = Some((q, format));
        }
    }
    best.map(|(_, f)| f).ok_or_else(|| {
        (
            StatusCode::NOT_ACCEPTABLE,
            format!("cannot answer in any format the Accept header lists ('{header}')"),
        )
    })
}

/// A plain-text response; a 503 says when to try again.
pub fn text(status: StatusCode, body: String) -> Response<Body> {
    let mut response = Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "text/plain; charset=utf-8");
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response = response.header(RETRY_AFTER, "1");
    }
    response
        .body(body.into())
        .expect("a plain-text response builds")
}

pub fn bad_request(message: impl std::fmt::Display) -> HttpError {
    (StatusCode::BAD_REQUEST, message.to_string())
}

pub fn server_error(error: impl std::fmt::Display) -> HttpError {
    (StatusCode::INTERNAL_SERVER_ERROR, error.to_string())
}
