//! Pagination, generated client against generated server over loopback, from the
//! `specs/http-features.yaml` fixture: a stream of every item over all pages, whichever
//! way the spec says the next page is reached (a cursor, an offset, a page number, a
//! `Link` header, a next-page URL in the body).

use std::sync::{Arc, Mutex};

use http_features::client::{Client, Error};
use http_features::requests::*;
use http_features::responses::*;
use http_features::server::{HttpFeatures, Problem};
use http_features::types::{
    Note, NotesByCursorOk, NotesByCursorOkMeta, NotesByPageOk, NotesNextLinkOk, NotesSearchBody,
    NotesSearchOk,
};

/// Seven notes, `n0` to `n6`, served a few at a time; the queries each page was asked
/// with are kept.
#[derive(Clone, Default)]
struct Notes {
    asked: Arc<Mutex<Vec<String>>>,
    /// Where `notesNextLink` says the next page is, when not at this server.
    elsewhere: Option<&'static str>,
}

const COUNT: usize = 7;

fn notes(range: std::ops::Range<usize>) -> Vec<Note> {
    range
        .filter(|n| *n < COUNT)
        .map(|n| Note {
            title: format!("n{n}"),
            body: None,
        })
        .collect()
}

impl Notes {
    fn ask(&self, query: String) {
        self.asked.lock().unwrap().push(query);
    }
}

impl HttpFeatures for Notes {
    async fn notes_by_cursor(
        self: Arc<Self>,
        NotesByCursorRequest { cursor, limit }: NotesByCursorRequest,
    ) -> Result<NotesByCursorResponse, Problem> {
        self.ask(format!("cursor={cursor:?} limit={limit}"));
        let start = match cursor.as_deref() {
            None => 0,
            Some(cursor) => match cursor.strip_prefix("c") {
                Some(n) => n.parse().unwrap(),
                None => return Ok(NotesByCursorResponse::BadRequest),
            },
        };
        let end = start + limit as usize;
        // The last page says there is no next with an empty cursor, as Slack does.
        let next_cursor = Some(if end < COUNT {
            format!("c{end}")
        } else {
            String::new()
        });
        Ok(NotesByCursorResponse::Ok(NotesByCursorOk {
            notes: notes(start..end),
            meta: Some(NotesByCursorOkMeta { next_cursor }),
        }))
    }

    async fn notes_by_offset(
        self: Arc<Self>,
        NotesByOffsetRequest { offset, limit }: NotesByOffsetRequest,
    ) -> Result<NotesByOffsetResponse, Problem> {
        self.ask(format!("offset={offset:?} limit={limit}"));
        let start = offset.unwrap_or(0) as usize;
        Ok(NotesByOffsetResponse::Ok(notes(
            start..start + limit as usize,
        )))
    }

    async fn notes_by_page(
        self: Arc<Self>,
        NotesByPageRequest { page, per_page }: NotesByPageRequest,
    ) -> Result<NotesByPageResponse, Problem> {
        self.ask(format!("page={page:?}"));
        let size = per_page.unwrap_or(3) as usize;
        let start = (page.unwrap_or(1) as usize - 1) * size;
        Ok(NotesByPageResponse::Ok(NotesByPageOk {
            data: notes(start..start + size),
            total: COUNT as i32,
        }))
    }

    async fn notes_linked(
        self: Arc<Self>,
        NotesLinkedRequest { page }: NotesLinkedRequest,
    ) -> Result<NotesLinkedResponse, Problem> {
        self.ask(format!("page={page:?}"));
        let page = page.unwrap_or(0) as usize;
        let link = (page * 4 + 4 < COUNT).then(|| {
            let next = page + 1;
            format!(r#"</v1/notes/linked?page={next}>; rel="next", </v1/notes/linked?page=1>; rel="last""#)
        });
        Ok(NotesLinkedResponse::Ok {
            body: notes(page * 4..page * 4 + 4),
            link,
        })
    }

    async fn notes_next_link(
        self: Arc<Self>,
        NotesNextLinkRequest { skiptoken }: NotesNextLinkRequest,
    ) -> Result<NotesNextLinkResponse, Problem> {
        self.ask(format!("skiptoken={skiptoken:?}"));
        let start: usize = skiptoken.map_or(0, |t| t.parse().unwrap());
        let next = match self.elsewhere {
            Some(url) => Some(url.to_owned()),
            None => (start + 5 < COUNT).then(|| format!("next-link?$skiptoken={}", start + 5)),
        };
        Ok(NotesNextLinkResponse::Ok(NotesNextLinkOk {
            value: Some(notes(start..start + 5)),
            odata_next_link: next,
        }))
    }

    async fn notes_search(
        self: Arc<Self>,
        NotesSearchRequest { body }: NotesSearchRequest,
    ) -> Result<NotesSearchResponse, Problem> {
        self.ask(format!("search {:?}", body.text));
        // The rest of the pages are `notesNextLink`'s, asked for with GET.
        Ok(NotesSearchResponse::Ok(NotesSearchOk {
            value: Some(notes(0..5)),
            odata_next_link: Some("next-link?$skiptoken=5".to_owned()),
        }))
    }
}

async fn serve(notes: Notes) -> Client {
    let router = axum::Router::new().nest("/v1", http_features::server::router(notes));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    Client::new(&format!("http://{address}/v1")).unwrap()
}

async fn titles(mut items: http_features::client::Items<Note>) -> Result<Vec<String>, Error> {
    let mut titles = Vec::new();
    while let Some(note) = items.next().await {
        titles.push(note?.title);
    }
    Ok(titles)
}

fn all() -> Vec<String> {
    (0..COUNT).map(|n| format!("n{n}")).collect()
}

#[tokio::test]
async fn every_item_of_every_page_whichever_way_the_next_page_is_reached() {
    let server = Notes::default();
    let client = serve(server.clone()).await;
    let asked = || std::mem::take(&mut *server.asked.lock().unwrap());

    // A cursor from the body (an empty one ends the pages); the call's options hold for
    // every page.
    let got = titles(client.notes_by_cursor().limit(3).items())
        .await
        .unwrap();
    assert_eq!(got, all());
    assert_eq!(
        asked(),
        [
            "cursor=None limit=3",
            r#"cursor=Some("c3") limit=3"#,
            r#"cursor=Some("c6") limit=3"#
        ]
    );

    // An offset advanced by each page's length, until an empty page.
    let got = titles(client.notes_by_offset().items()).await.unwrap();
    assert_eq!(got, all());
    assert_eq!(
        asked(),
        [
            "offset=None limit=2",
            "offset=Some(2) limit=2",
            "offset=Some(4) limit=2",
            "offset=Some(6) limit=2",
            "offset=Some(7) limit=2"
        ]
    );

    // Page numbers from the parameter's minimum, starting where the call says.
    let got = titles(client.notes_by_page().page(2).items())
        .await
        .unwrap();
    assert_eq!(got, all()[3..]);
    assert_eq!(asked(), ["page=Some(2)", "page=Some(3)", "page=Some(4)"]);

    // A `Link` header's rel="next" (relative to the page), until a page has none.
    let got = titles(client.notes_linked().items()).await.unwrap();
    assert_eq!(got, all());
    assert_eq!(asked(), ["page=None", "page=Some(1)"]);

    // The next page's URL in the body (`@odata.nextLink`).
    let got = titles(client.notes_next_link().items()).await.unwrap();
    assert_eq!(got, all());
    assert_eq!(asked(), ["skiptoken=None", r#"skiptoken=Some("5")"#]);

    // A POST whose pages Azure's `x-ms-pageable` names: the next page's URL is followed with
    // GET and no body (it was sent as a POST, which that route does not answer).
    let search = NotesSearchBody {
        text: Some("n".to_owned()),
    };
    let got = titles(client.notes_search(search).items()).await.unwrap();
    assert_eq!(got, all());
    assert_eq!(asked(), [r#"search Some("n")"#, r#"skiptoken=Some("5")"#]);
}

#[tokio::test]
async fn an_answer_that_is_not_a_page_ends_the_items_with_an_error() {
    let client = serve(Notes::default()).await;
    let mut items = client.notes_by_cursor().cursor("nonsense").items();
    let error = items.next().await.unwrap().unwrap_err();
    assert_eq!(error.status(), Some(400), "{error}");
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn a_next_page_at_another_origin_is_not_followed() {
    let server = Notes {
        elsewhere: Some("http://elsewhere.example/v1/notes/next-link?$skiptoken=5"),
        ..Notes::default()
    };
    let client = serve(server.clone()).await;
    let mut items = client.notes_next_link().items();
    for _ in 0..5 {
        items.next().await.unwrap().unwrap();
    }
    let error = items.next().await.unwrap().unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error}");
    assert!(error.to_string().contains("another origin"), "{error}");
    assert_eq!(server.asked.lock().unwrap().len(), 1);
}
