//! Credentials for the API server, as `Authorization` header values.
//!
//! A browser (or the extension's network rules) sends whatever string it is given as a header, so
//! every value is checked here first: a bearer token must be printable ASCII with no whitespace
//! inside (a `\r\n` would start a new header; a space would make a different credential), and
//! basic-auth parts may not contain control characters. Errors say at which byte the problem is
//! but never repeat the secret.
//!
//! ```
//! use kubeopen::auth::Credentials;
//!
//! let header = Credentials::Bearer { token: "abc.def.ghi".into() }.authorization_header()?;
//! assert_eq!(header, "Bearer abc.def.ghi");
//! # Ok::<(), kubeopen::auth::CredentialsError>(())
//! ```

pub(crate) mod base64;

use std::fmt;

/// How kubeopen authenticates to the API server.
///
/// `Debug` never prints the secret. Serialised (for the npm package) as `{token}` or
/// `{username, password}`, the shapes `authorizationHeader` takes.
///
/// ```
/// use kubeopen::auth::Credentials;
/// let basic = Credentials::Basic { username: "admin".into(), password: "s3cret".into() };
/// assert_eq!(basic.authorization_header()?, "Basic YWRtaW46czNjcmV0");
/// assert!(!format!("{basic:?}").contains("s3cret"));
/// # Ok::<(), kubeopen::auth::CredentialsError>(())
/// ```
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Credentials {
    /// `Authorization: Bearer TOKEN` (service-account token, static token, OIDC id-token).
    Bearer {
        /// The token, without the `Bearer ` prefix.
        token: String,
    },
    /// `Authorization: Basic base64(username:password)`.
    Basic {
        /// The user name (may not contain `:`).
        username: String,
        /// The password.
        password: String,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Bearer { token } => write!(f, "Bearer(<{} bytes redacted>)", token.len()),
            Credentials::Basic { username, .. } => {
                write!(f, "Basic {{ username: {username:?}, password: <redacted> }}")
            }
        }
    }
}

/// The part of a credential a [`CredentialsError`] is about.
///
/// ```
/// use kubeopen::auth::{CredentialPart, Credentials, CredentialsError};
/// let err = Credentials::Bearer { token: "a b".into() }.authorization_header().unwrap_err();
/// assert_eq!(err, CredentialsError::Whitespace { part: CredentialPart::Token, at: 1 });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialPart {
    /// The bearer token.
    Token,
    /// The basic-auth user name.
    Username,
    /// The basic-auth password.
    Password,
}

impl fmt::Display for CredentialPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CredentialPart::Token => "bearer token",
            CredentialPart::Username => "basic-auth username",
            CredentialPart::Password => "basic-auth password",
        })
    }
}

/// Why a credential cannot become a header value.
///
/// ```
/// use kubeopen::auth::Credentials;
/// let err = Credentials::Bearer { token: "abc\r\nX-Evil: 1".into() }.authorization_header().unwrap_err();
/// assert_eq!(err.to_string(), "invalid bearer token: a control character (U+000D) at byte 3; it could inject an HTTP header");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsError {
    /// The value is empty (after trimming surrounding whitespace, for tokens).
    #[error("invalid {part}: it is empty")]
    Empty {
        /// Which part.
        part: CredentialPart,
    },
    /// A control character (U+0000–U+001F, U+007F).
    #[error(
        "invalid {part}: a control character (U+{code:04X}) at byte {at}; it could inject an HTTP header"
    )]
    ControlCharacter {
        /// Which part.
        part: CredentialPart,
        /// The character's code point.
        code: u32,
        /// Byte offset in the value as given.
        at: usize,
    },
    /// A non-ASCII character in a token (header values are bytes; browsers refuse or mangle them).
    #[error("invalid {part}: a non-ASCII character (U+{code:04X}) at byte {at}; tokens are ASCII")]
    NonAscii {
        /// Which part.
        part: CredentialPart,
        /// The character's code point.
        code: u32,
        /// Byte offset in the value as given.
        at: usize,
    },
    /// Whitespace inside a token (surrounding whitespace is trimmed).
    #[error("invalid {part}: whitespace at byte {at} inside the token; a token is one word")]
    Whitespace {
        /// Which part.
        part: CredentialPart,
        /// Byte offset in the value as given.
        at: usize,
    },
    /// A `:` in a basic-auth user name (the server splits `user:password` at the first `:`).
    #[error("invalid {part}: ':' at byte {at}; a user name may not contain ':' (RFC 7617)")]
    ColonInUsername {
        /// Always [`CredentialPart::Username`].
        part: CredentialPart,
        /// Byte offset in the user name.
        at: usize,
    },
    /// A bearer token and a user name or password together: which one to send would be a guess,
    /// so client-go refuses it (`transport.Config`), and so does kubeopen.
    #[error("username/password or bearer token may be set, but not both")]
    TokenAndBasic,
}

impl Credentials {
    /// A bearer token as pasted: surrounding whitespace (a trailing newline from `cat` or
    /// `kubectl create token`) is trimmed, the way client-go trims a `tokenFile`, and the rest is
    /// checked like [`Credentials::authorization_header`] does.
    ///
    /// ```
    /// use kubeopen::auth::Credentials;
    /// assert_eq!(Credentials::bearer("  abc.def\n")?, Credentials::Bearer { token: "abc.def".into() });
    /// assert!(Credentials::bearer("abc def").is_err());
    /// # Ok::<(), kubeopen::auth::CredentialsError>(())
    /// ```
    pub fn bearer(token: &str) -> Result<Credentials, CredentialsError> {
        let leading = token.len() - token.trim_start().len();
        let trimmed = token.trim();
        check_token(trimmed).map_err(|e| e.shifted(leading))?;
        Ok(Credentials::Bearer {
            token: trimmed.to_owned(),
        })
    }

    /// Credentials from optional parts, as a form or a JavaScript caller gives them: a token
    /// (taken as pasted, like [`Credentials::bearer`]), or a user name and password (a missing
    /// password is empty, as client-go sends it), or nothing (`None`: send no `Authorization`,
    /// e.g. through `kubectl proxy`). Both kinds at once are refused, as client-go does; every
    /// value is checked as [`Credentials::authorization_header`] checks it.
    ///
    /// ```
    /// use kubeopen::auth::{Credentials, CredentialsError};
    /// assert_eq!(Credentials::from_parts(Some("abc\n"), None, None)?, Some(Credentials::Bearer { token: "abc".into() }));
    /// assert_eq!(
    ///     Credentials::from_parts(None, Some("admin"), None)?,
    ///     Some(Credentials::Basic { username: "admin".into(), password: String::new() }),
    /// );
    /// assert_eq!(Credentials::from_parts(None, None, None)?, None);
    /// assert_eq!(Credentials::from_parts(Some("abc"), Some("admin"), Some("pw")), Err(CredentialsError::TokenAndBasic));
    /// # Ok::<(), CredentialsError>(())
    /// ```
    pub fn from_parts(
        token: Option<&str>,
        username: Option<&str>,
        password: Option<&str>,
    ) -> Result<Option<Credentials>, CredentialsError> {
        match (token, username.is_some() || password.is_some()) {
            (Some(_), true) => Err(CredentialsError::TokenAndBasic),
            (Some(token), false) => Credentials::bearer(token).map(Some),
            (None, true) => {
                let basic = Credentials::Basic {
                    username: username.unwrap_or_default().to_owned(),
                    password: password.unwrap_or_default().to_owned(),
                };
                basic.authorization_header()?;
                Ok(Some(basic))
            }
            (None, false) => Ok(None),
        }
    }

    /// The value of the `Authorization` header, after checking that it cannot inject a header.
    ///
    /// Tokens must be printable ASCII without whitespace; user names and passwords may be any
    /// UTF-8 without control characters (they are base64-encoded), and a user name may not
    /// contain `:`. An empty password is allowed (client-go sends it).
    ///
    /// ```
    /// use kubeopen::auth::Credentials;
    /// let err = Credentials::Bearer { token: "tøken".into() }.authorization_header().unwrap_err();
    /// assert_eq!(err.to_string(), "invalid bearer token: a non-ASCII character (U+00F8) at byte 1; tokens are ASCII");
    /// ```
    pub fn authorization_header(&self) -> Result<String, CredentialsError> {
        match self {
            Credentials::Bearer { token } => {
                check_token(token)?;
                Ok(format!("Bearer {token}"))
            }
            Credentials::Basic { username, password } => {
                if username.is_empty() {
                    return Err(CredentialsError::Empty {
                        part: CredentialPart::Username,
                    });
                }
                check_no_controls(username, CredentialPart::Username)?;
                check_no_controls(password, CredentialPart::Password)?;
                if let Some(at) = username.find(':') {
                    return Err(CredentialsError::ColonInUsername {
                        part: CredentialPart::Username,
                        at,
                    });
                }
                let pair = format!("{username}:{password}");
                Ok(format!("Basic {}", base64::encode(pair.as_bytes())))
            }
        }
    }
}

impl CredentialsError {
    /// The same error with its byte offset moved by `by` (after trimming).
    fn shifted(self, by: usize) -> CredentialsError {
        match self {
            CredentialsError::ControlCharacter { part, code, at } => CredentialsError::ControlCharacter {
                part,
                code,
                at: at + by,
            },
            CredentialsError::NonAscii { part, code, at } => CredentialsError::NonAscii {
                part,
                code,
                at: at + by,
            },
            CredentialsError::Whitespace { part, at } => CredentialsError::Whitespace { part, at: at + by },
            CredentialsError::ColonInUsername { part, at } => {
                CredentialsError::ColonInUsername { part, at: at + by }
            }
            e @ (CredentialsError::Empty { .. } | CredentialsError::TokenAndBasic) => e,
        }
    }
}

/// A token must be visible ASCII: controls inject headers, spaces change the credential, and
/// non-ASCII is not a byte string a browser will send unchanged.
fn check_token(token: &str) -> Result<(), CredentialsError> {
    let part = CredentialPart::Token;
    if token.is_empty() {
        return Err(CredentialsError::Empty { part });
    }
    for (at, c) in token.char_indices() {
        let code = u32::from(c);
        if c.is_control() && c.is_ascii() {
            return Err(CredentialsError::ControlCharacter { part, code, at });
        }
        if !c.is_ascii() {
            return Err(CredentialsError::NonAscii { part, code, at });
        }
        if c == ' ' {
            return Err(CredentialsError::Whitespace { part, at });
        }
    }
    Ok(())
}

/// Basic-auth parts are base64-encoded, so only control characters are refused (RFC 7617 §2).
fn check_no_controls(value: &str, part: CredentialPart) -> Result<(), CredentialsError> {
    match value.char_indices().find(|(_, c)| c.is_control()) {
        Some((at, c)) => Err(CredentialsError::ControlCharacter {
            part,
            code: u32::from(c),
            at,
        }),
        None => Ok(()),
    }
}

/// The WebSocket subprotocol the API server reads a bearer token from (kube-apiserver
/// `authentication/request/websocket`): this prefix, then the token in base64url without padding.
pub const WEBSOCKET_TOKEN_PROTOCOL_PREFIX: &str = "base64url.bearer.authorization.k8s.io.";

/// Why credentials cannot open a WebSocket.
///
/// ```
/// use kubeopen::auth::{websocket_protocols, Credentials, WebSocketAuthError};
/// let basic = Credentials::Basic { username: "admin".into(), password: "pw".into() };
/// assert_eq!(websocket_protocols(Some(&basic), "v4.channel.k8s.io"), Err(WebSocketAuthError::Basic));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebSocketAuthError {
    /// Basic auth: a browser's WebSocket cannot send an `Authorization` header, and the API
    /// server reads only bearer tokens from subprotocols.
    #[error(
        "basic-auth credentials cannot authenticate a WebSocket (a browser cannot send the Authorization header on one; the API server takes only a bearer token as a subprotocol): use a token"
    )]
    Basic,
    /// The token cannot be sent at all.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
}

/// The subprotocols to offer on an API-server WebSocket: the token as
/// [`WEBSOCKET_TOKEN_PROTOCOL_PREFIX`]`<base64url(token)>` (when there is one), then `protocol`
/// (the server requires one besides the token, and answers with it). The token is checked as
/// for a header first; base64url then makes any valid token a valid subprotocol token.
///
/// ```
/// use kubeopen::auth::{websocket_protocols, Credentials};
/// let token = Credentials::Bearer { token: "abc.def?".into() };
/// assert_eq!(
///     websocket_protocols(Some(&token), "v4.channel.k8s.io")?,
///     ["base64url.bearer.authorization.k8s.io.YWJjLmRlZj8", "v4.channel.k8s.io"],
/// );
/// assert_eq!(websocket_protocols(None, "v4.channel.k8s.io")?, ["v4.channel.k8s.io"]);
/// # Ok::<(), kubeopen::auth::WebSocketAuthError>(())
/// ```
pub fn websocket_protocols(
    credentials: Option<&Credentials>,
    protocol: &str,
) -> Result<Vec<String>, WebSocketAuthError> {
    let mut out = Vec::with_capacity(2);
    match credentials {
        None => {}
        Some(Credentials::Basic { .. }) => return Err(WebSocketAuthError::Basic),
        Some(Credentials::Bearer { token }) => {
            check_token(token)?;
            out.push(format!(
                "{WEBSOCKET_TOKEN_PROTOCOL_PREFIX}{}",
                base64::encode_url(token.as_bytes())
            ));
        }
    }
    out.push(protocol.to_owned());
    Ok(out)
}

/// Why a Secret's `.data.token` could not be decoded.
///
/// ```
/// use kubeopen::auth::{decode_secret_token, SecretTokenError};
/// assert!(matches!(decode_secret_token("/w=="), Err(SecretTokenError::NotText { at: 0 })));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SecretTokenError {
    /// Not base64. `looks_decoded` is set when the input looks like a JWT that was already
    /// decoded (it contains `.`, which base64 never does).
    #[error("the secret's token is not valid base64: {detail}{}", if *.looks_decoded { " (this looks like a token that is already decoded: use it as it is)" } else { "" })]
    Base64 {
        /// What is wrong and where (byte offsets count in the input as given).
        detail: String,
        /// Whether the input looks like an already-decoded JWT.
        looks_decoded: bool,
    },
    /// The decoded bytes are not UTF-8.
    #[error("the decoded secret token is not text: invalid UTF-8 at decoded byte {at}")]
    NotText {
        /// Offset in the decoded bytes.
        at: usize,
    },
    /// The decoded token cannot be sent as a header.
    #[error("the decoded secret token is not usable: {0}")]
    Token(#[from] CredentialsError),
}

/// Decodes a Secret's `.data.token` the way
/// `kubectl get secret NAME -o jsonpath='{.data.token}' | base64 --decode` does: surrounding
/// whitespace and line breaks are ignored, anything else that is not standard base64 with correct
/// `=` padding is refused with its position. The decoded token is checked like
/// [`Credentials::bearer`] (a trailing newline inside the data is trimmed too).
///
/// ```
/// use kubeopen::auth::decode_secret_token;
/// assert_eq!(decode_secret_token("ZXlKaGJHY2lPaUpTVXpJMU5pSjkuZTMwLnNpZw==\n")?, "eyJhbGciOiJSUzI1NiJ9.e30.sig");
/// let err = decode_secret_token("eyJhbGciOiJSUzI1NiJ9.e30.sig").unwrap_err();
/// assert!(err.to_string().contains("'.' at byte 20"), "{err}");
/// assert!(err.to_string().contains("already decoded"), "{err}");
/// # Ok::<(), kubeopen::auth::SecretTokenError>(())
/// ```
pub fn decode_secret_token(data: &str) -> Result<String, SecretTokenError> {
    let leading = data.len() - data.trim_start().len();
    let trimmed = data.trim();
    let bytes = base64::decode(trimmed, base64::Alphabet::Standard).map_err(|e| {
        let e = base64::Base64Error {
            at: e.at + leading,
            ..e
        };
        SecretTokenError::Base64 {
            detail: e.to_string(),
            looks_decoded: trimmed.contains('.'),
        }
    })?;
    let text = String::from_utf8(bytes).map_err(|e| SecretTokenError::NotText {
        at: e.utf8_error().valid_up_to(),
    })?;
    match Credentials::bearer(&text)? {
        Credentials::Bearer { token } => Ok(token),
        Credentials::Basic { .. } => Ok(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bearer(token: &str) -> Result<String, CredentialsError> {
        Credentials::Bearer { token: token.into() }.authorization_header()
    }

    #[test]
    fn header_injection_is_refused_with_the_position() {
        let part = CredentialPart::Token;
        assert_eq!(
            bearer("a\nb"),
            Err(CredentialsError::ControlCharacter {
                part,
                code: 10,
                at: 1
            })
        );
        assert_eq!(
            bearer("ab\0"),
            Err(CredentialsError::ControlCharacter { part, code: 0, at: 2 })
        );
        assert_eq!(
            bearer("a\u{7f}"),
            Err(CredentialsError::ControlCharacter {
                part,
                code: 0x7f,
                at: 1
            })
        );
        assert_eq!(
            bearer("a\tb"),
            Err(CredentialsError::ControlCharacter { part, code: 9, at: 1 })
        );
        assert_eq!(bearer("abc d"), Err(CredentialsError::Whitespace { part, at: 3 }));
        assert_eq!(
            bearer("é"),
            Err(CredentialsError::NonAscii {
                part,
                code: 0xe9,
                at: 0
            })
        );
        assert_eq!(
            bearer("a\u{85}"),
            Err(CredentialsError::NonAscii {
                part,
                code: 0x85,
                at: 1
            })
        );
        assert_eq!(bearer(""), Err(CredentialsError::Empty { part }));
        assert_eq!(bearer(" abc"), Err(CredentialsError::Whitespace { part, at: 0 }));
    }

    #[test]
    fn pasted_tokens_are_trimmed_and_offsets_stay_in_the_input() {
        assert_eq!(
            Credentials::bearer("\n  tok\n").unwrap(),
            Credentials::Bearer { token: "tok".into() }
        );
        assert_eq!(
            Credentials::bearer("  a b "),
            Err(CredentialsError::Whitespace {
                part: CredentialPart::Token,
                at: 3
            })
        );
        assert_eq!(
            Credentials::bearer(" \n "),
            Err(CredentialsError::Empty {
                part: CredentialPart::Token
            })
        );
    }

    #[test]
    fn basic_auth() {
        let basic = |u: &str, p: &str| {
            Credentials::Basic {
                username: u.into(),
                password: p.into(),
            }
            .authorization_header()
        };
        // RFC 7617 §2 example.
        assert_eq!(
            basic("Aladdin", "open sesame").unwrap(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(basic("ü", "").unwrap(), "Basic w7w6");
        assert_eq!(
            basic("a:b", "c"),
            Err(CredentialsError::ColonInUsername {
                part: CredentialPart::Username,
                at: 1
            })
        );
        assert_eq!(
            basic("a", "x\r\n"),
            Err(CredentialsError::ControlCharacter {
                part: CredentialPart::Password,
                code: 13,
                at: 1
            })
        );
        assert_eq!(
            basic("", "p"),
            Err(CredentialsError::Empty {
                part: CredentialPart::Username
            })
        );
    }

    #[test]
    fn debug_redacts() {
        let b = Credentials::Bearer {
            token: "secret-token".into(),
        };
        assert_eq!(format!("{b:?}"), "Bearer(<12 bytes redacted>)");
        let err = bearer("secret\ntoken").unwrap_err().to_string();
        assert!(!err.contains("secret"), "{err}");
    }

    #[test]
    fn secret_token_decoding() {
        // `echo -n my-token | base64`, wrapped and with the newline `kubectl … | base64` adds.
        assert_eq!(decode_secret_token("bXktdG9rZW4=").unwrap(), "my-token");
        assert_eq!(decode_secret_token("  bXkt\ndG9rZW4=\r\n").unwrap(), "my-token");
        // A token stored with a trailing newline (`kubectl create secret --from-file`).
        assert_eq!(decode_secret_token("bXktdG9rZW4K").unwrap(), "my-token");
        let err = decode_secret_token("  bXk*dG9rZW4=").unwrap_err();
        assert_eq!(
            err,
            SecretTokenError::Base64 {
                detail: "'*' at byte 5 is not a base64 character".into(),
                looks_decoded: false
            }
        );
        assert!(matches!(
            decode_secret_token("bXktdG9rZW4"),
            Err(SecretTokenError::Base64 { .. })
        ));
        assert_eq!(
            decode_secret_token("/w=="),
            Err(SecretTokenError::NotText { at: 0 })
        );
        // "a b" decoded: whitespace inside.
        assert_eq!(
            decode_secret_token("YSBi"),
            Err(SecretTokenError::Token(CredentialsError::Whitespace {
                part: CredentialPart::Token,
                at: 1
            }))
        );
        assert!(matches!(
            decode_secret_token(""),
            Err(SecretTokenError::Token(CredentialsError::Empty { .. }))
        ));
    }
}
