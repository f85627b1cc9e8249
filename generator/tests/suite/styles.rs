//! Every parameter style of OpenAPI's table, generated client against generated server over
//! loopback, from the style operations of the `specs/http-features.yaml` fixture: the
//! client writes each combination of location, `style` and `explode`, for arrays of strings
//! and of integers and objects of string and integer properties, exactly as the
//! specification's table of style examples writes it (seen raw by a layer in front of the
//! router), and the server reads it back into the same typed value; malformed text is 400.

use std::sync::{Arc, Mutex};

use http_features::client::Client;
use http_features::requests::*;
use http_features::responses::*;
use http_features::server::{HttpFeatures, Problem};
use http_features::types::{FullName, Rgb};

/// Records each request the server reads, as its `Debug` text.
#[derive(Default, Clone)]
struct Server {
    read: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn record(&self, request: &impl std::fmt::Debug) {
        self.read.lock().unwrap().push(format!("{request:?}"));
    }
}

impl HttpFeatures for Server {
    async fn path_arrays(
        self: Arc<Self>,
        request: PathArraysRequest,
    ) -> Result<PathArraysResponse, Problem> {
        self.record(&request);
        Ok(PathArraysResponse::NoContent)
    }

    async fn path_objects(
        self: Arc<Self>,
        request: PathObjectsRequest,
    ) -> Result<PathObjectsResponse, Problem> {
        self.record(&request);
        Ok(PathObjectsResponse::NoContent)
    }

    async fn query_styles(
        self: Arc<Self>,
        request: QueryStylesRequest,
    ) -> Result<QueryStylesResponse, Problem> {
        self.record(&request);
        Ok(QueryStylesResponse::NoContent)
    }

    async fn header_styles(
        self: Arc<Self>,
        request: HeaderStylesRequest,
    ) -> Result<HeaderStylesResponse, Problem> {
        self.record(&request);
        Ok(HeaderStylesResponse::NoContent)
    }

    async fn cookie_styles(
        self: Arc<Self>,
        request: CookieStylesRequest,
    ) -> Result<CookieStylesResponse, Problem> {
        self.record(&request);
        Ok(CookieStylesResponse::NoContent)
    }
}

/// What the server saw of each request, raw: its path and query, and the headers named.
type Seen = Arc<Mutex<Vec<(String, Vec<String>)>>>;

/// Serves the router under `/v1` behind a layer that records each request as sent; the
/// base URL, what the server read and what was seen.
async fn serve() -> (String, Server, Seen) {
    let server = Server::default();
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let router = axum::Router::new()
        .nest("/v1", http_features::server::router(server.clone()))
        .layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                let record = record.clone();
                async move {
                    let headers = ["x-number", "x-list", "x-ints", "x-rgb", "x-name", "cookie"]
                        .iter()
                        .filter_map(|name| {
                            let value = request.headers().get(*name)?.to_str().ok()?;
                            Some(format!("{name}: {value}"))
                        })
                        .collect();
                    let uri = request.uri().to_string();
                    record.lock().unwrap().push((uri, headers));
                    next.run(request).await
                }
            },
        ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://{address}/v1"), server, seen)
}

fn rgb() -> Rgb {
    Rgb {
        r: 100,
        g: 200,
        b: 150,
    }
}

fn name(given: &str, family: &str) -> FullName {
    FullName {
        given: given.to_owned(),
        family: family.to_owned(),
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Sends `request`, then checks that the server saw `raw` (path and query, then headers)
/// and read back the request sent.
async fn round_trip<O>(request: O, raw: &str, headers: &[&str])
where
    O: http_features::client::Operation + std::fmt::Debug,
{
    let (url, server, seen) = serve().await;
    let client = Client::new(&url).unwrap();
    client.send(&request).await.unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, raw);
    assert_eq!(seen[0].1, headers);
    assert_eq!(*server.read.lock().unwrap(), [format!("{request:?}")]);
}

#[tokio::test]
async fn array_path_parameters_in_simple_label_and_matrix() {
    let colors = strings(&["blue", "black", "brown"]);
    let request = PathArraysRequest {
        // A comma or slash inside an item is encoded; the style's commas are not. (The
        // segment is `{simple}.csv`.)
        simple: strings(&["blue", "a,b/c"]),
        simple_exploded: vec![1, 2, 3],
        label: strings(&["blue", "1.5", "brown"]),
        label_exploded: vec![1, 2, 3],
        matrix: colors,
        matrix_exploded: vec![1, 2, 3],
    };
    let raw = "/v1/style-paths/arrays/blue,a%2Cb%2Fc.csv/1,2,3/.blue,1.5,brown/.1.2.3\
               /;matrix=blue,black,brown/;matrixExploded=1;matrixExploded=2;matrixExploded=3";
    round_trip(request, raw, &[]).await;
}

#[tokio::test]
async fn object_path_parameters_in_simple_label_and_matrix() {
    let request = PathObjectsRequest {
        simple: name("Ann Lee", "a,b=c"),
        simple_exploded: rgb(),
        label: rgb(),
        // A dot inside an exploded label's value is encoded too: it is the separator.
        label_exploded: name("Ann", "St. John"),
        matrix: rgb(),
        matrix_exploded: rgb(),
    };
    let raw = "/v1/style-paths/objects/given,Ann%20Lee,family,a%2Cb%3Dc/R=100,G=200,B=150\
               /.R,100,G,200,B,150/.given=Ann.family=St%2E%20John/;matrix=R,100,G,200,B,150\
               /;R=100;G=200;B=150";
    round_trip(request, raw, &[]).await;
}

#[tokio::test]
async fn query_parameters_in_form_delimited_and_deep_object() {
    let request = QueryStylesRequest {
        q: Some("a&b=c d".to_owned()),
        tags: Some(strings(&["blue", "black"])),
        flat: Some(vec![1, 2, 3]),
        spaced: Some(vec![1, 2, 3]),
        piped: Some(strings(&["blue", "a|b", "brown"])),
        rgb: Some(rgb()),
        spaced_object: Some(name("Ann", "Lee")),
        piped_object: Some(rgb()),
        deep: Some(rgb()),
        name: Some(name("Ann", "O'Neil")),
        // `allowReserved`: reserved characters as they are, but those that would change
        // what the query says.
        next: Some("/a?b:c,d&e=f+g#h".to_owned()),
    };
    let raw = "/v1/style-query?q=a%26b%3Dc%20d&tags=blue&tags=black&flat=1,2,3&spaced=1%202%203\
               &piped=blue|a%7Cb|brown&rgb=R,100,G,200,B,150\
               &spacedObject=given%20Ann%20family%20Lee&pipedObject=R|100|G|200|B|150\
               &deep[R]=100&deep[G]=200&deep[B]=150&given=Ann&family=O%27Neil\
               &next=/a?b:c,d%26e%3Df%2Bg%23h";
    round_trip(request, raw, &[]).await;
}

#[tokio::test]
async fn header_parameters_in_simple() {
    let request = HeaderStylesRequest {
        x_number: Some(7),
        x_list: Some(strings(&["blue", "black", "brown"])),
        x_ints: Some(vec![1, 2, 3]),
        x_rgb: Some(rgb()),
        x_name: Some(name("Ann", "Lee")),
    };
    let headers = [
        "x-number: 7",
        "x-list: blue,black,brown",
        "x-ints: 1,2,3",
        "x-rgb: R=100,G=200,B=150",
        "x-name: given,Ann,family,Lee",
    ];
    round_trip(request, "/v1/style-headers", &headers).await;
}

#[tokio::test]
async fn cookie_parameters_in_form() {
    let request = CookieStylesRequest {
        prim: Some("x".to_owned()),
        flat: Some(strings(&["blue", "black", "brown"])),
        many: Some(vec![1, 2]),
        rgb: Some(rgb()),
        name: Some(name("Ann", "Lee")),
    };
    let cookie = "cookie: prim=x; flat=blue,black,brown; many=1; many=2; \
                  rgb=R,100,G,200,B,150; given=Ann; family=Lee";
    round_trip(request, "/v1/style-cookies", &[cookie]).await;
}

#[tokio::test]
async fn malformed_styled_values_are_400_naming_the_parameter() {
    let (url, _, _) = serve().await;
    let http = reqwest::Client::new();
    let cases = [
        // An integer item that is not one; a label without its dot; a matrix without its name.
        (
            "/style-paths/arrays/a.csv/x,2/.a/.1/;matrix=a/;matrixExploded=1",
            "simpleExploded",
        ),
        (
            "/style-paths/arrays/a.csv/1/a/.1/;matrix=a/;matrixExploded=1",
            "label",
        ),
        (
            "/style-paths/arrays/a.csv/1/.a/.1/;other=a/;matrixExploded=1",
            "matrix",
        ),
        // An object missing a value; a property that is not an integer; a pair without `=`.
        (
            "/style-paths/objects/given,a,family/R=1,G=2,B=3/.R,1,G,2,B,3/.given=a.family=b\
             /;matrix=R,1,G,2,B,3/;R=1;G=2;B=3",
            "simple",
        ),
        (
            "/style-paths/objects/given,a,family,b/R=1,G=2,B=3/.R,1,G,x,B,3/.given=a.family=b\
             /;matrix=R,1,G,2,B,3/;R=1;G=2;B=3",
            "label",
        ),
        (
            "/style-paths/objects/given,a,family,b/R=1,G=2,B=3/.R,1,G,2,B,3/.given=a.family\
             /;matrix=R,1,G,2,B,3/;R=1;G=2;B=3",
            "labelExploded",
        ),
        ("/style-query?rgb=R,1,G", "rgb"),
        ("/style-query?pipedObject=R|1|G|x|B|3", "pipedObject"),
        ("/style-query?spaced=1%20two", "spaced"),
        ("/style-cookies", "many"),
    ];
    for (path, parameter) in cases {
        let response = http
            .get(format!("{url}{path}"))
            .header("cookie", "many=1; many=x")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{path}");
        let problem: serde_json::Value = response.json().await.unwrap();
        assert_eq!(problem["parameter"], *parameter, "{path}");
    }
    let problem: serde_json::Value = http
        .get(format!(
            "{url}/style-paths/arrays/a.csv/1/.a/.1/;matrix=a/;R=1"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        problem["detail"],
        "path parameter matrixExploded: \";R=1\" is not in the matrix style, exploded"
    );
}

#[tokio::test]
async fn a_list_whose_delimiters_a_client_encoded_is_still_split() {
    // Many HTTP clients encode every comma (`1%2C2`); with no delimiter as it is in the
    // value, the server splits it after decoding.
    let (url, server, _) = serve().await;
    let response = reqwest::get(format!(
        "{url}/style-query?flat=1%2C2%2C3&piped=a%7Cb&rgb=R%2C1%2CG%2C2%2CB%2C3"
    ))
    .await
    .unwrap();
    assert_eq!(response.status(), 204);
    let read = server.read.lock().unwrap()[0].clone();
    assert!(read.contains("flat: Some([1, 2, 3])"), "{read}");
    assert!(read.contains(r#"piped: Some(["a", "b"])"#), "{read}");
    assert!(
        read.contains("rgb: Some(Rgb { r: 1, g: 2, b: 3 })"),
        "{read}"
    );
}
