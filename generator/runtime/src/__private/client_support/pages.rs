//! Operations that answer in pages: [`Paginated`], one [`Page`], and [`Items`], every item of
//! every page as a stream.

use std::fmt;

use reqwest::Url;

use super::*;

/// An operation whose answers come in pages: `Call::items` reads every item of every page.
///
/// Only the generated crate implements it: how a page is read is its supertrait [`Pages`],
/// which is no part of the API.
pub trait Paginated: Operation + Pages + Clone + PartialEq + Send + 'static {
    /// The type of one item.
    type Item;
}

/// How an answer of a [`Paginated`] operation is a page: the half only generated code
/// implements and only the runtime calls.
pub trait Pages {
    /// The items of an answer and where the next page is; `None` when the answer is not a
    /// page.
    fn page(
        &self,
        response: <Self as Operation>::Response,
    ) -> Option<Page<Self, <Self as Paginated>::Item>>
    where
        Self: Paginated;
}

/// One page: its items, and where the next one is.
pub struct Page<O, T> {
    pub(crate) items: Vec<T>,
    pub(crate) next: Next<O>,
}

pub(crate) enum Next<O> {
    /// The inputs of the next page.
    Inputs(O),
    /// The next page's URL, absolute or relative to the page's.
    Url(String),
    End,
}

impl<O, T> Page<O, T> {
    /// The next page is asked for with `next`.
    pub fn inputs(items: Vec<T>, next: Option<O>) -> Self {
        let next = next.map_or(Next::End, Next::Inputs);
        Page { items, next }
    }

    /// The next page is at `next` (none, or empty: this is the last).
    pub fn url(items: Vec<T>, next: Option<&str>) -> Self {
        let next = next
            .filter(|url| !url.is_empty())
            .map_or(Next::End, |url| Next::Url(url.to_owned()));
        Page { items, next }
    }

    /// The next page is the `rel="next"` link of a `Link` header (RFC 8288).
    pub fn link(items: Vec<T>, link: Option<&str>) -> Self {
        Self::url(items, link.and_then(next_link))
    }
}

/// The target of the `rel="next"` link of a `Link` header:
/// `<https://api.example.com/items?page=2>; rel="next", <...>; rel="last"`.
fn next_link(header: &str) -> Option<&str> {
    let mut rest = header;
    while let Some(start) = rest.find('<') {
        let end = start + rest[start..].find('>')?;
        let target = &rest[start + 1..end];
        rest = &rest[end + 1..];
        let params = &rest[..rest.find('<').unwrap_or(rest.len())];
        let next = params.split([';', ',']).any(|param| {
            param.split_once('=').is_some_and(|(key, value)| {
                key.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            })
        });
        if next {
            return Some(target);
        }
    }
    None
}

/// Every item of every page of a call, read page after page as the stream is read: see
/// `Call::items`. A `futures_core::Stream`; [`next`](Items::next) reads it without any
/// stream extension trait.
pub struct Items<T>(pub(crate) crate::binary::BoxStream<Result<T, Error>>);

impl<T> Items<T> {
    /// The next item, or `None` after the last page's last item.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| self.0.as_mut().poll_next(cx)).await
    }
}

impl<T> futures_core::Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Items(stream)")
    }
}

/// Pages being read.
struct Paging<O: Paginated> {
    pub(crate) client: Core,
    /// The call's own options, sent with every page.
    pub(crate) options: Options,
    pub(crate) next: Next<O>,
    /// The inputs and URL of the page read last.
    pub(crate) last: Option<(O, Url)>,
    /// What is left of that page.
    pub(crate) items: std::vec::IntoIter<O::Item>,
}

impl<O: Paginated> Paging<O> {
    async fn next(&mut self) -> Option<Result<O::Item, Error>> {
        loop {
            if let Some(item) = self.items.next() {
                return Some(Ok(item));
            }
            let (inputs, url) = match std::mem::replace(&mut self.next, Next::End) {
                Next::End => return None,
                Next::Inputs(inputs) => (inputs, None),
                Next::Url(url) => {
                    let (inputs, _) = self.last.clone()?;
                    (inputs, Some(url))
                }
            };
            let mut request = self.options.request(&self.client, &inputs);
            if let Some(url) = url {
                request.set_url(&url);
            }
            // A next page that is the same as the last would never end.
            if let Some((last_inputs, last_url)) = &self.last {
                if request.error.is_none() && *last_inputs == inputs && *last_url == request.url {
                    return None;
                }
            }
            let url = request.url.clone();
            let reply = match send_request::<O, _>(request, Ok).await {
                Ok(reply) => reply,
                Err(e) => return Some(Err(e)),
            };
            let kept = reply.kept();
            let page = match O::decode(reply) {
                Ok(response) => inputs.page(response),
                Err(e) => return Some(Err(e)),
            };
            let Some(page) = page else {
                return Some(Err(unexpected(kept)));
            };
            if !page.items.is_empty() {
                self.next = page.next;
            }
            self.items = page.items.into_iter();
            self.last = Some((inputs, url));
        }
    }
}

impl Core {
    /// Every item of every page, as a stream: the first page is asked for with `inputs` and
    /// `options`, each next one as the operation's pages say.
    pub fn items<O: Paginated>(&self, inputs: O, options: Options) -> Items<O::Item>
    where
        O::Item: Send + 'static,
    {
        let paging = Paging {
            client: self.clone(),
            options,
            next: Next::Inputs(inputs),
            last: None,
            items: Vec::new().into_iter(),
        };
        Items(Box::pin(futures_util::stream::unfold(
            paging,
            |mut paging| async move { paging.next().await.map(|item| (item, paging)) },
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::next_link;

    #[test]
    fn the_next_page_is_the_link_whose_relations_include_next() {
        let header = r#"<https://api.example.com/items?page=1>; rel="prev", <https://api.example.com/items?page=3>; rel="next last""#;
        assert_eq!(
            next_link(header),
            Some("https://api.example.com/items?page=3")
        );
        assert_eq!(next_link("</b>; title=\"next\"; REL=Next"), Some("/b"));
        assert_eq!(next_link("</a>; rel=\"nextish\""), None);
        assert_eq!(next_link("</a>; rel=\"prev\""), None);
        assert_eq!(next_link("no links"), None);
    }
}
