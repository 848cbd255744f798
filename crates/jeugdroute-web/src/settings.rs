//! What the web crate is told by its configuration rather than by clients: the
//! public URL people use. Cookies, `Secure`, HSTS and the server's own origin
//! follow from it and never from a request header (a client can send any
//! `X-Forwarded-Proto`). Without a public URL the server is plain HTTP, as the
//! demo on localhost is.

use std::fmt;
use std::str::FromStr;

use axum::http::HeaderValue;

/// How the web application is reached; the binary builds it from `--public-url`.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The address people use, e.g. `https://jeugdroute.regio-amersfoort.nl`.
    pub public_url: Option<PublicUrl>,
    /// Timeouts, the connection limit and the bounds of a request head.
    pub transport: crate::ServeSettings,
}

/// A public URL reduced to its origin: scheme, host and (a non-default) port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    origin: String,
    https: bool,
}

/// Why a public URL cannot be used, in Dutch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrlError(pub String);

impl fmt::Display for PublicUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PublicUrlError {}

impl FromStr for PublicUrl {
    type Err = PublicUrlError;

    /// Accepts `https://host[:port][/]` or `http://host[:port][/]`: no path, no
    /// user, no query, since the application is served from the root.
    fn from_str(text: &str) -> Result<PublicUrl, PublicUrlError> {
        let fail = |why: &str| {
            PublicUrlError(format!(
                "'{text}' is geen bruikbaar openbaar adres: {why}; gebruik bijvoorbeeld https://jeugdroute.example.nl"
            ))
        };
        let lower = text.trim().to_ascii_lowercase();
        let (https, rest) = if let Some(rest) = lower.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = lower.strip_prefix("http://") {
            (false, rest)
        } else {
            return Err(fail("het begint niet met https:// of http://"));
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty() {
            return Err(fail("de host ontbreekt"));
        }
        let allowed =
            |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
        if !authority.chars().all(allowed) {
            return Err(fail(
                "alleen een host en poort, zonder pad, gebruiker of vraag",
            ));
        }
        let default_port = if https { ":443" } else { ":80" };
        let authority = authority.strip_suffix(default_port).unwrap_or(authority);
        let scheme = if https { "https" } else { "http" };
        Ok(PublicUrl {
            origin: format!("{scheme}://{authority}"),
            https,
        })
    }
}

impl PublicUrl {
    /// `scheme://host[:port]`, as browsers send it in `Origin`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn is_https(&self) -> bool {
        self.https
    }
}

/// One year, as the HSTS preload list asks.
const HSTS: &str = "max-age=31536000";

impl Settings {
    /// Whether people reach us over TLS (the public URL is https).
    pub(crate) fn https(&self) -> bool {
        self.public_url.as_ref().is_some_and(PublicUrl::is_https)
    }

    /// A cookie's name: with the `__Host-` prefix over TLS, so that the browser
    /// accepts it only `Secure`, for the whole site and from this host alone.
    pub(crate) fn cookie_name(&self, name: &str) -> String {
        if self.https() {
            format!("__Host-{name}")
        } else {
            name.to_owned()
        }
    }

    /// The `Strict-Transport-Security` value, when public over TLS.
    pub(crate) fn hsts(&self) -> Option<HeaderValue> {
        self.https().then(|| HeaderValue::from_static(HSTS))
    }

    /// Whether `origin` (an `Origin` header) is this server's own: the public
    /// URL's origin when set, else `http(s)://` and the request's `Host`.
    pub(crate) fn is_own_origin(&self, origin: &str, host: Option<&str>) -> bool {
        let origin = origin.to_ascii_lowercase();
        if let Some(public) = &self.public_url {
            return origin == public.origin;
        }
        let Some(host) = host.map(str::to_ascii_lowercase) else {
            return false;
        };
        ["http://", "https://"]
            .iter()
            .any(|scheme| origin.strip_prefix(scheme) == Some(host.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Result<PublicUrl, PublicUrlError> {
        text.parse()
    }

    #[test]
    fn a_public_url_is_reduced_to_its_origin() {
        let public = url("HTTPS://Jeugdroute.Example.nl:443/").unwrap();
        assert_eq!(public.origin(), "https://jeugdroute.example.nl");
        assert!(public.is_https());
        assert_eq!(
            url("http://127.0.0.1:8080").unwrap().origin(),
            "http://127.0.0.1:8080"
        );
        for bad in [
            "jeugdroute.example.nl",
            "ftp://x",
            "https://",
            "https://x/pad",
            "https://u@x",
            "https://x?y",
        ] {
            assert!(url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_https_brings_secure_cookies_hsts_and_its_own_origin() {
        let plain = Settings::default();
        assert_eq!(plain.cookie_name("sessie"), "sessie");
        assert!(plain.hsts().is_none());
        assert!(plain.is_own_origin("http://localhost:8080", Some("localhost:8080")));
        assert!(!plain.is_own_origin("http://evil.example", Some("localhost:8080")));
        assert!(!plain.is_own_origin("null", Some("localhost:8080")));
        assert!(!plain.is_own_origin("http://localhost:8080", None));
        let tls = Settings {
            public_url: url("https://jr.example.nl").ok(),
            ..Settings::default()
        };
        assert_eq!(tls.cookie_name("sessie"), "__Host-sessie");
        assert!(tls.hsts().is_some());
        assert!(tls.is_own_origin("https://jr.example.nl", Some("evil.example")));
        assert!(!tls.is_own_origin("http://jr.example.nl", Some("jr.example.nl")));
    }
}
