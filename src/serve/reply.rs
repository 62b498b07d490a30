//! Answers: a body with its content type and headers, and the JSON errors every 4xx (and the
//! rare 5xx) carries.

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The header that lists the lines of a JSON Lines body that could not be read.
pub const ERRORS_HEADER: &str = "x-geoevents-errors";
/// The header that lists what was read with a problem (invalid UTF-8 replaced, say).
pub const WARNINGS_HEADER: &str = "x-geoevents-warnings";

/// An answer.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl Reply {
    pub fn ok(content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status: StatusCode::OK,
            content_type,
            body,
            headers: Vec::new(),
        }
    }

    /// `{"error": message}` with `status`.
    pub fn error(status: StatusCode, message: impl Into<String>) -> Reply {
        let body = serde_json::json!({ "error": message.into() }).to_string();
        Reply {
            status,
            content_type: "application/json",
            body: body.into_bytes(),
            headers: Vec::new(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Reply {
        Reply::error(StatusCode::BAD_REQUEST, message)
    }

    /// 503 with `Retry-After: 1`: the server is busy, the same request will do later.
    pub fn busy(message: impl Into<String>) -> Reply {
        Reply::error(StatusCode::SERVICE_UNAVAILABLE, message)
            .with_header(header::RETRY_AFTER, "1".to_string())
    }

    /// A header whose value is `value` with everything outside printable ASCII escaped as JSON
    /// escapes it (a header value may hold nothing else).
    pub fn with_header(mut self, name: HeaderName, value: String) -> Reply {
        if let Ok(v) = HeaderValue::from_str(&ascii_json(&value)) {
            self.headers.push((name, v));
        }
        self
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        // Answers depend on the request's body; nothing in between should keep one for another.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        );
        for (name, value) in self.headers {
            headers.insert(name, value);
        }
        response
    }
}

/// `s` with control characters and everything beyond ASCII written as `\uXXXX` (surrogate pairs
/// beyond the BMP), as JSON writes them: valid in an HTTP header, and read back by any JSON
/// parser as the same text.
pub fn ascii_json(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if (' '..='~').contains(&c) {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_json_stays_ascii_and_reads_back() {
        let value = serde_json::json!([{"line": 2, "error": "«Київ» — ok\n🙂"}]).to_string();
        let escaped = ascii_json(&value);
        assert!(
            escaped.bytes().all(|b| (b' '..=b'~').contains(&b)),
            "{escaped}"
        );
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back[0]["error"], "«Київ» — ok\n🙂");
        let reply =
            Reply::bad_request("x").with_header(HeaderName::from_static(ERRORS_HEADER), value);
        assert_eq!(reply.headers.len(), 1);
    }
}
