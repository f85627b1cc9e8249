//! `multipart/form-data` bodies: files and fields, written by the client and read by the
//! server. The same in every generated crate that has a multipart body.

use std::fmt::Display;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A file sent as one part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilePart {
    /// The file name the part carries (`filename=` in its `Content-Disposition`).
    pub file_name: Option<String>,
    /// The part's `Content-Type`; `application/octet-stream` when `None`.
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl FilePart {
    /// A file with a name and a content type.
    pub fn new(
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> Self {
        FilePart {
            file_name: Some(file_name.into()),
            content_type: Some(content_type.into()),
            bytes: bytes.into(),
        }
    }
}

/// A body type sent as `multipart/form-data`: each field is one part.
pub trait MultipartBody: Sized {
    /// The parts to send, in field order.
    fn to_parts(&self) -> Result<Parts, String>;
    /// Reads the fields back from received parts; a missing required part or a part that
    /// does not parse is an error naming it.
    fn from_parts(parts: Parts) -> Result<Self, String>;
}

#[derive(Debug, Clone, PartialEq)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

/// The parts of a multipart body, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parts {
    parts: Vec<Part>,
}

impl Parts {
    fn push(
        &mut self,
        name: &str,
        file_name: Option<String>,
        content_type: Option<String>,
        bytes: Vec<u8>,
    ) {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name,
            content_type,
            bytes,
        });
    }

    pub fn text<T: ToString + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.push(name, None, None, value.to_string().into_bytes());
        }
    }

    pub fn json<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: Option<&T>,
    ) -> Result<(), String> {
        if let Some(value) = value {
            let bytes = serde_json::to_vec(value).map_err(|e| format!("part {name}: {e}"))?;
            self.push(name, None, Some("application/json".to_owned()), bytes);
        }
        Ok(())
    }

    pub fn file(&mut self, name: &str, file: Option<&FilePart>) {
        if let Some(file) = file {
            self.push(
                name,
                file.file_name.clone(),
                file.content_type.clone(),
                file.bytes.clone(),
            );
        }
    }

    pub fn files(&mut self, name: &str, files: &[FilePart]) {
        for file in files {
            self.file(name, Some(file));
        }
    }

    fn take(&mut self, name: &str) -> Option<Part> {
        let index = self.parts.iter().position(|p| p.name == name)?;
        Some(self.parts.remove(index))
    }

    fn take_utf8(&mut self, name: &str) -> Result<Option<String>, String> {
        self.take(name)
            .map(|p| {
                String::from_utf8(p.bytes).map_err(|_| format!("part {name} is not UTF-8 text"))
            })
            .transpose()
    }

    pub fn take_text<T: FromStr>(&mut self, name: &str) -> Result<Option<T>, String>
    where
        T::Err: Display,
    {
        self.take_utf8(name)?
            .map(|text| {
                text.parse()
                    .map_err(|e| format!("part {name}: {e} (got {text:?})"))
            })
            .transpose()
    }

    pub fn take_json<T: DeserializeOwned>(&mut self, name: &str) -> Result<Option<T>, String> {
        self.take_utf8(name)?
            .map(|text| serde_json::from_str(&text).map_err(|e| format!("part {name}: {e}")))
            .transpose()
    }

    pub fn take_file(&mut self, name: &str) -> Option<FilePart> {
        self.take(name).map(|p| FilePart {
            file_name: p.file_name,
            content_type: p.content_type,
            bytes: p.bytes,
        })
    }

    pub fn take_files(&mut self, name: &str) -> Vec<FilePart> {
        std::iter::from_fn(|| self.take_file(name)).collect()
    }

    /// The body as `multipart/form-data`: its content type (with the boundary) and bytes.
    /// The boundary is the first of a fixed sequence that occurs in no part, so the same
    /// parts always encode the same way.
    pub fn encode(&self) -> (String, Vec<u8>) {
        let boundary = (0u32..)
            .map(|n| format!("openapi-boundary-{n:08x}"))
            .find(|b| {
                !self
                    .parts
                    .iter()
                    .any(|p| contains(&p.bytes, b.as_bytes()) || p.name.contains(b.as_str()))
            })
            .unwrap_or_default();
        let mut body = Vec::new();
        for part in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!(
                "Content-Disposition: form-data; name=\"{}\"",
                quoted(&part.name)
            );
            if let Some(file_name) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
            }
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(b"\r\n");
            let content_type = match (&part.content_type, &part.file_name) {
                (Some(content_type), _) => Some(content_type.as_str()),
                (None, Some(_)) => Some("application/octet-stream"),
                (None, None) => None,
            };
            if let Some(content_type) = content_type {
                body.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }

    /// Reads a `multipart/form-data` body.
    #[cfg(feature = "server")]
    pub async fn decode(content_type: &str, body: Vec<u8>) -> Result<Self, String> {
        let boundary = multer::parse_boundary(content_type).map_err(|e| e.to_string())?;
        let mut multipart = multer::Multipart::with_reader(std::io::Cursor::new(body), boundary);
        let mut parts = Parts::default();
        while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let content_type = field.content_type().map(|m| m.to_string());
            let bytes = field.bytes().await.map_err(|e| e.to_string())?.to_vec();
            parts.push(&name, file_name, content_type, bytes);
        }
        Ok(parts)
    }
}

/// A required part, or an error naming it.
pub fn required<T>(value: Option<T>, name: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("required part {name} is missing"))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A name inside a quoted header parameter, escaped as browsers do (WHATWG HTML).
fn quoted(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(feature = "client")]
impl crate::__private::client_support::Request {
    /// Sets a `multipart/form-data` body, or none for `None`.
    pub fn multipart<T: MultipartBody>(&mut self, body: Option<&T>) {
        let Some(body) = body else { return };
        match body.to_parts() {
            Ok(parts) => {
                let (content_type, bytes) = parts.encode();
                self.body(content_type, bytes);
            }
            Err(e) => self.fail(format!("request body: {e}")),
        }
    }
}

#[cfg(feature = "server")]
impl crate::__private::server_support::Incoming {
    /// The body as `multipart/form-data` parts, read into `T`.
    pub async fn multipart<T: MultipartBody>(
        &self,
        declared: &str,
    ) -> crate::__private::server_support::Found<T> {
        let value = match self.body_of(declared) {
            Err(problem) => Err(problem),
            Ok(None) => Ok(None),
            Ok(Some(body)) => {
                let content_type = self.content_type().unwrap_or_default();
                match Parts::decode(content_type, body.to_vec())
                    .await
                    .and_then(T::from_parts)
                {
                    Ok(value) => Ok(Some(value)),
                    Err(e) => Err(crate::problem::Problem::bad_input(
                        "body",
                        "",
                        format!("the multipart request body: {e}"),
                    )),
                }
            }
        };
        crate::__private::server_support::Found::body(value)
    }
}
