//! Real JSON through the types generated from `specs/schema-constructs.yaml`: one test per
//! construct of the schema table (issue 3), reading and writing, and the server stub's
//! checking of constraints.

use schema_constructs::requests::*;
use schema_constructs::responses::{
    AddLabelsResponse, AdoptAnimalResponse, CreatePetResponse, DrawShapeResponse,
    IssueReceiptResponse, ListShapesResponse, PatchPetResponse, PlantTreeResponse,
    PutRecordResponse, RegisterVehicleResponse, ReplacePetResponse,
};
use schema_constructs::server::{Problem, SchemaConstructs};
use schema_constructs::types::*;
use schema_constructs::validate::problems;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// Reads `json` as `T`, checks it writes back to the same JSON, and returns it.
fn round_trip<T: DeserializeOwned + Serialize>(json: Value) -> T {
    let value: T = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&value).unwrap(), json);
    value
}

/// A base with a discriminator that others extend (`Vehicle`; `Car` and `Bike` extend it):
/// a `Vehicle` is one of them by `kind`, so a car keeps its seats; the base's own shape is a
/// kind too, under the base's name.
#[test]
fn a_discriminated_base_reads_as_the_kind_its_property_names() {
    let car: Vehicle = round_trip(json!({"kind": "car", "wheels": 4, "seats": 5}));
    let Vehicle::Car(Car { wheels, seats }) = car else {
        panic!("{car:?}");
    };
    assert_eq!((wheels, seats), (4, 5));
    let bike: Vehicle = round_trip(json!({"kind": "Bike", "wheels": 2, "electric": true}));
    assert!(matches!(
        bike,
        Vehicle::Bike(Bike {
            electric: Some(true),
            ..
        })
    ));
    let plain: Vehicle = round_trip(json!({"kind": "Vehicle", "wheels": 3}));
    assert!(matches!(
        plain,
        Vehicle::VehicleBase(VehicleBase { wheels: 3 })
    ));
}

#[test]
fn required_optional_and_nullable() {
    let pet: Pet = round_trip(json!({
        "id": 1, "name": "Rex", "owner": null, "created": "2024-05-01T10:00:00Z", "status": "available"
    }));
    assert_eq!(pet.owner, None);
    assert_eq!(pet.nickname, None);
    // Required and nullable is always written; optional and nullable keeps null apart from absent.
    let pet: Pet = round_trip(json!({
        "id": 1, "name": "Rex", "owner": "Ann", "nickname": null, "created": "2024-05-01T10:00:00Z",
        "status": "available"
    }));
    assert_eq!(pet.owner.as_deref(), Some("Ann"));
    assert_eq!(pet.nickname, Some(None));
    let patch: PetPatch = round_trip(json!({ "nickname": null }));
    assert_eq!(patch.nickname, Some(None));
    let patch: PetPatch = round_trip(json!({}));
    assert_eq!(patch.nickname, None);
    let patch: PetPatch = round_trip(json!({ "nickname": "Bo" }));
    assert_eq!(patch.nickname, Some(Some("Bo".to_owned())));
    // A required field that is missing is an error.
    assert!(serde_json::from_value::<Pet>(
        json!({ "owner": null, "created": "2024-05-01T10:00:00Z" })
    )
    .is_err());
}

#[test]
fn read_only_and_write_only_fields_give_a_request_and_a_response_type() {
    // `id` is readOnly and required: a response has it, a request leaves it out.
    // `password` is writeOnly: a request may send it, a response never has it.
    let pet: Pet = round_trip(json!({
        "id": 7, "name": "Rex", "owner": null, "created": "2024-05-01T10:00:00Z", "status": "available"
    }));
    assert_eq!(pet.id, 7);
    assert!(serde_json::from_value::<Pet>(json!({
        "name": "Rex", "owner": null, "created": "2024-05-01T10:00:00Z"
    }))
    .is_err());
    let request: PetRequest = round_trip(json!({
        "name": "Rex", "owner": null, "created": "2024-05-01T10:00:00Z", "status": "available",
        "password": "secret"
    }));
    assert_eq!(request.password.as_deref(), Some("secret"));
}

#[test]
fn a_request_form_without_fields_is_an_empty_object() {
    // Every field of `Receipt` is read-only, so its request form has none.
    let _: ReceiptRequest = round_trip(json!({}));
    let sent: ReceiptRequest = serde_json::from_value(json!({"id": "ignored"})).unwrap();
    assert_eq!(serde_json::to_value(&sent).unwrap(), json!({}));
    let receipt: Receipt = round_trip(json!({"id": "r1"}));
    assert_eq!(serde_json::to_value(&receipt).unwrap(), json!({"id": "r1"}));
}

#[test]
fn string_enums_name_awkward_values_and_keep_unknown_ones() {
    let all = [
        ("available", PetStatus::Available),
        ("in-progress", PetStatus::InProgress),
        ("1.0", PetStatus::V1_0),
        ("10", PetStatus::V10),
        ("", PetStatus::Empty),
        ("+1", PetStatus::Plus1),
        ("-1", PetStatus::Minus1),
        ("self", PetStatus::SelfValue),
        ("type", PetStatus::Type),
    ];
    for (wire, variant) in all {
        assert_eq!(round_trip::<PetStatus>(json!(wire)), variant);
    }
    assert_eq!(
        round_trip::<PetStatus>(json!("sold")),
        PetStatus::Other("sold".to_owned())
    );
}

#[test]
fn integer_enums_are_typed() {
    assert_eq!(round_trip::<Priority>(json!(2)), Priority::V2);
    assert_eq!(round_trip::<Priority>(json!(-1)), Priority::Minus1);
    assert_eq!(round_trip::<Priority>(json!(9)), Priority::Other(9));
    assert!(serde_json::from_value::<Priority>(json!("2")).is_err());
    assert_eq!("3".parse::<Priority>().unwrap(), Priority::V3);
    assert_eq!(
        round_trip::<WideFlags>(json!(u64::MAX)),
        WideFlags::V18446744073709551615
    );
    assert_eq!(round_trip::<WideFlags>(json!(7)), WideFlags::Other(7));
    assert!(serde_json::from_value::<WideFlags>(json!(-1)).is_err());
}

#[test]
fn one_of_with_a_discriminator_and_mapping_is_tagged() {
    // Circle declares the tag as a property, but is used only as a variant: the variant
    // writes the tag, so the struct has no field for a caller to contradict.
    let shape: Shape = round_trip(json!({ "kind": "circle", "radius": 1.5 }));
    assert_eq!(shape, Shape::Circle(Circle { radius: 1.5 }));
    // Square does not declare it: writing adds it all the same.
    let square = Shape::Square(Square { side: 2 });
    assert_eq!(
        serde_json::to_value(&square).unwrap(),
        json!({ "kind": "square", "side": 2 })
    );
    assert_eq!(
        round_trip::<Shape>(json!({ "kind": "square", "side": 2 })),
        square
    );
    // A tag the spec does not list is kept.
    let unknown = json!({ "kind": "hexagon", "sides": 6 });
    assert_eq!(round_trip::<Shape>(unknown.clone()), Shape::Other(unknown));
    // A known tag with a body that does not fit is an error, not `Other`.
    assert!(serde_json::from_value::<Shape>(json!({ "kind": "square" })).is_err());
}

#[test]
fn one_of_with_a_discriminator_without_mapping_uses_component_names() {
    let cat: Animal = round_trip(json!({ "animalType": "Cat", "lives": 9 }));
    assert!(matches!(cat, Animal::Cat(Cat { lives: Some(9), .. })));
    let dog: Animal = round_trip(json!({ "animalType": "Dog", "barks": true }));
    assert!(matches!(
        dog,
        Animal::Dog(Dog {
            barks: Some(true),
            ..
        })
    ));
}

#[test]
fn one_of_and_any_of_without_discriminator_are_untagged() {
    assert_eq!(round_trip::<IdOrName>(json!(5)), IdOrName::Integer(5));
    assert_eq!(
        round_trip::<IdOrName>(json!("five")),
        IdOrName::String("five".to_owned())
    );
    let list: PetOrList = round_trip(json!([
        { "id": 1, "name": "Rex", "owner": null, "created": "2024-05-01T10:00:00Z", "status": "available" }
    ]));
    assert!(matches!(list, PetOrList::Array(pets) if pets.len() == 1));
}

#[test]
fn one_of_objects_are_read_as_the_alternative_their_properties_claim() {
    // The alternative that requires `locker` is tried first: before, the first alternative
    // (address and note) read this and dropped `locker`.
    let locker: Delivery = round_trip(json!({ "address": "Main St 1", "locker": 7 }));
    assert!(
        matches!(&locker, Delivery::Locker(l) if l.locker == 7),
        "{locker:?}"
    );
    let home: Delivery = round_trip(json!({ "address": "Main St 1", "note": "ring twice" }));
    assert!(matches!(home, Delivery::Object(_)), "{home:?}");
    // The one value of `kind` claims the value for its alternative.
    let pickup: Delivery = round_trip(json!({ "kind": "pickup", "note": "after 5" }));
    assert!(matches!(pickup, Delivery::Pickup(_)), "{pickup:?}");
    assert!(serde_json::from_value::<Delivery>(json!({ "note": "no address" })).is_err());
}

#[test]
fn a_union_reads_a_narrower_alternative_before_a_wider_one() {
    // Written number first: before, 2 was read as the number 2.0 and written back so.
    assert_eq!(round_trip::<Amount>(json!(2)), Amount::Integer(2));
    assert_eq!(round_trip::<Amount>(json!(2.5)), Amount::Number(2.5));
    let id = "67e55044-10b1-426f-9247-bb680e5fe0c8";
    assert!(matches!(round_trip::<Amount>(json!(id)), Amount::Uuid(_)));
    assert_eq!(
        round_trip::<Amount>(json!("two")),
        Amount::String("two".to_owned())
    );
}

#[test]
fn a_union_holds_each_alternative_to_its_own_constraints() {
    assert!(problems(&round_trip::<Handle>(json!("abc")), "body").is_empty());
    assert_eq!(
        problems(&round_trip::<Handle>(json!("abcd")), "body"),
        ["body: length 4 is above maxLength 3"]
    );
    assert_eq!(
        problems(&round_trip::<Handle>(json!(0)), "body"),
        ["body: 0 is below minimum 1"]
    );
    assert_eq!(
        problems(&round_trip::<OneOrMany>(json!(["ab", "abc"])), "body"),
        ["body[1]: length 3 is above maxLength 2"]
    );
}

#[test]
fn an_all_of_of_a_primitive_and_annotations_is_that_primitive() {
    let uses: CodeUses = round_trip(json!({ "code": "AB12", "maybe": null, "short": "abc" }));
    // The referenced type itself, made optional by the nullable part.
    let code: Code = uses.code.clone();
    assert_eq!((code.as_str(), uses.maybe.as_deref()), ("AB12", None));
    let long: CodeUses =
        serde_json::from_value(json!({ "code": "ABCDEFGHIJ", "maybe": "x", "short": "abcde" }))
            .unwrap();
    // Code's maxLength, and both parts' constraints of `short`, are checked.
    assert_eq!(
        problems(&long, "body"),
        [
            "body.code: length 10 is above maxLength 8",
            "body.short: length 5 is above maxLength 4",
        ]
    );
    let upper: CodeUses =
        serde_json::from_value(json!({ "code": "A", "maybe": "x", "short": "AB" })).unwrap();
    assert_eq!(
        problems(&upper, "body"),
        ["body.short: \"AB\" does not match pattern \"^[a-z]+$\""]
    );
}

#[test]
fn any_of_objects_that_agree_is_one_struct() {
    let both: Contact = round_trip(json!({ "name": "Ann", "email": "a@x", "phone": "1" }));
    assert_eq!(
        (
            both.name.as_str(),
            both.email.as_deref(),
            both.phone.as_deref()
        ),
        ("Ann", Some("a@x"), Some("1"))
    );
    let one: Contact = round_trip(json!({ "name": "Bo", "phone": "2" }));
    assert_eq!(one.email, None);
    assert!(serde_json::from_value::<Contact>(json!({ "email": "a@x" })).is_err());
}

#[test]
fn all_of_merges_refs_inline_and_nested_parts() {
    let named: Named = round_trip(json!({ "id": "a", "name": "n" }));
    assert_eq!(named.id, "a");
    let labeled: Labeled = round_trip(json!({ "id": "a", "label": "l" }));
    assert_eq!(
        (labeled.id.as_str(), labeled.name, labeled.label.as_str()),
        ("a", None, "l")
    );
    assert!(serde_json::from_value::<Labeled>(json!({ "id": "a" })).is_err());
}

#[test]
fn recursive_types_compile_and_nest() {
    let tree: TreeNode = round_trip(json!({
        "value": "root",
        "children": [{ "value": "leaf" }],
        "parent": { "value": "up" }
    }));
    assert_eq!(tree.parent.unwrap().value, "up");
    let expr: Expr = round_trip(json!({ "negate": { "negate": { "number": 1.0 } } }));
    assert!(matches!(expr, Expr::Negation(_)));
    let forest: Forest = round_trip(json!([[], [[]]]));
    assert_eq!(forest.0.len(), 2);
}

#[test]
fn ref_chains_resolve_to_one_type() {
    let pet: PetAlias = round_trip(json!({
        "id": 1, "name": "Rex", "owner": null, "created": "2024-05-01T10:00:00Z", "status": "available"
    }));
    let _: Pet = pet;
}

#[test]
fn formats_are_real_types() {
    let record: Record = round_trip(json!({
        "at": "2024-05-01T10:00:00Z",
        "day": "2024-05-01",
        "key": "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "count": -3,
        "size": 18000000000000000000u64,
        "ratio": 0.5,
        "score": 2.25,
        "data": "aGVsbG8=",
        "link": "https://example.com/",
        "mail": "a@example.com",
        "blob": "raw",
        "other": "x",
        "labels": { "a": "b" },
        "extra": { "any": [1, "two"] }
    }));
    assert_eq!(record.at.timestamp(), 1_714_557_600);
    assert_eq!(record.day.to_string(), "2024-05-01");
    assert_eq!(record.key.as_u128() >> 96, 0x3f25_04e0);
    assert_eq!(record.data, Base64(b"hello".to_vec()));
    assert!(serde_json::from_value::<Record>(json!({ "at": "yesterday" })).is_err());
}

#[test]
fn additional_properties_beside_fields_are_flattened() {
    let tagged: Tagged = round_trip(json!({ "kind": "k", "a": 1, "b": 2 }));
    assert_eq!(tagged.kind, "k");
    assert_eq!(tagged.additional_properties.len(), 2);
    assert!(serde_json::from_value::<Tagged>(json!({ "kind": "k", "a": "text" })).is_err());
    // `additionalProperties: false` is accepted; unknown fields are ignored, not kept.
    let closed: Closed = serde_json::from_value(json!({ "only": "x", "more": 1 })).unwrap();
    assert_eq!(
        serde_json::to_value(closed).unwrap(),
        json!({ "only": "x" })
    );
}

#[test]
fn defaults_fill_absent_fields() {
    let settings: Settings = serde_json::from_value(json!({})).unwrap();
    assert_eq!(settings.retries, 3);
    assert_eq!(settings.mode, "fast");
    assert!(!settings.verbose);
    assert_eq!(settings.status, PetStatus::Available);
    assert_eq!(settings.ratio, 0.5);
    assert!(settings.list.is_empty());
    let given: Settings = serde_json::from_value(json!({ "retries": 0, "status": "+1" })).unwrap();
    assert_eq!((given.retries, given.status), (0, PetStatus::Plus1));
}

#[test]
fn not_and_empty_schemas_are_any_json() {
    let holder: Holder = round_trip(json!({
        "any": { "x": [1] }, "notString": 5, "formatOnly": "2024-05-01T10:00:00Z"
    }));
    assert_eq!(holder.not_string, Some(json!(5)));
    let _: Anything = json!(null);
}

#[test]
fn awkward_names_are_valid_and_keep_their_wire_names() {
    let names: KeywordNames = round_trip(json!({
        "type": "t", "self": "s", "ref": "r", "match": "m", "async": "a", "2fa": true,
        "zip-code": "z", "_id": "1", "id": "2", "größe": "g", "Größe": 3
    }));
    assert_eq!(names.type_.as_deref(), Some("t"));
    assert_eq!(
        (names.id.as_deref(), names.id2.as_deref()),
        (Some("1"), Some("2"))
    );
    assert_eq!(names.n_2fa, Some(true));
    assert_eq!(names.gr_u00f6_u00df_e2, Some(3));
    let _: Type = round_trip(json!({ "value": "v" }));
    let _: (SelfModel, OptionModel, Types, V123abc);
}

#[test]
fn constraints_are_checked_with_the_field_path() {
    let valid: NewPet = serde_json::from_value(json!({
        "name": "Rex", "age": 3, "weight": 1.5, "tags": ["a", "b"]
    }))
    .unwrap();
    assert!(problems(&valid, "body").is_empty());
    let invalid: NewPet = serde_json::from_value(json!({
        "name": "", "age": 31, "weight": 0, "tags": ["a", "a", "b", "c"]
    }))
    .unwrap();
    assert_eq!(
        problems(&invalid, "body"),
        [
            "body.name: length 0 is below minLength 1",
            "body.name: \"\" does not match pattern \"^[A-Za-z ]+$\"",
            "body.age: 31 is above maximum 30",
            "body.weight: 0 is below exclusiveMinimum 0",
            "body.tags: 4 items is above maxItems 3",
            "body.tags: item 1 repeats an earlier item, but uniqueItems is set",
        ]
    );
    // Each item of a list, and each value of a map, is held to its own schema's constraints.
    let items: NewPet = serde_json::from_value(json!({
        "name": "Rex", "tags": ["short", "far too long"], "scores": {"speed": 3, "temper": -1}
    }))
    .unwrap();
    assert_eq!(
        problems(&items, "body"),
        [
            "body.tags[1]: length 12 is above maxLength 8",
            "body.scores.temper: -1 is below minimum 0",
        ]
    );
    let off_step: NewPet = serde_json::from_value(json!({"name": "Rex", "weight": 1.3})).unwrap();
    assert_eq!(
        problems(&off_step, "body"),
        ["body.weight: 1.3 is not a multiple of 0.5"]
    );
}

/// Accepts anything; answers with what it was given where it can.
struct Echo;

impl SchemaConstructs for Echo {
    async fn create_pet(
        self: Arc<Self>,
        CreatePetRequest { body }: CreatePetRequest,
    ) -> Result<CreatePetResponse, Problem> {
        Ok(CreatePetResponse::Created(Pet {
            id: 1,
            name: body.name,
            owner: None,
            nickname: None,
            status: body.status,
            legacy_code: None,
            created: "2024-05-01T10:00:00Z".parse().unwrap(),
        }))
    }

    async fn replace_pet(
        self: Arc<Self>,
        ReplacePetRequest { body, .. }: ReplacePetRequest,
    ) -> Result<ReplacePetResponse, Problem> {
        Ok(ReplacePetResponse::Ok(Pet {
            id: 1,
            name: body.name,
            owner: body.owner,
            nickname: body.nickname,
            status: body.status,
            legacy_code: body.legacy_code,
            created: body.created,
        }))
    }

    async fn patch_pet(
        self: Arc<Self>,
        _request: PatchPetRequest,
    ) -> Result<PatchPetResponse, Problem> {
        Err(Problem::new(501, "not implemented"))
    }

    async fn add_labels(
        self: Arc<Self>,
        _request: AddLabelsRequest,
    ) -> Result<AddLabelsResponse, Problem> {
        Ok(AddLabelsResponse::NoContent)
    }

    async fn list_shapes(
        self: Arc<Self>,
        _request: ListShapesRequest,
    ) -> Result<ListShapesResponse, Problem> {
        Ok(ListShapesResponse::Ok(Vec::new()))
    }

    async fn draw_shape(
        self: Arc<Self>,
        DrawShapeRequest { body }: DrawShapeRequest,
    ) -> Result<DrawShapeResponse, Problem> {
        Ok(DrawShapeResponse::Ok(body))
    }

    async fn put_record(
        self: Arc<Self>,
        _request: PutRecordRequest,
    ) -> Result<PutRecordResponse, Problem> {
        Ok(PutRecordResponse::NoContent)
    }

    async fn issue_receipt(
        self: Arc<Self>,
        _request: IssueReceiptRequest,
    ) -> Result<IssueReceiptResponse, Problem> {
        Ok(IssueReceiptResponse::Created(Receipt {
            id: Some("r1".to_owned()),
            issued: None,
        }))
    }

    async fn plant_tree(
        self: Arc<Self>,
        PlantTreeRequest { body }: PlantTreeRequest,
    ) -> Result<PlantTreeResponse, Problem> {
        Ok(PlantTreeResponse::Ok(body))
    }

    async fn adopt_animal(
        self: Arc<Self>,
        AdoptAnimalRequest { body }: AdoptAnimalRequest,
    ) -> Result<AdoptAnimalResponse, Problem> {
        Ok(AdoptAnimalResponse::Ok(body))
    }

    async fn register_vehicle(
        self: Arc<Self>,
        RegisterVehicleRequest { body }: RegisterVehicleRequest,
    ) -> Result<RegisterVehicleResponse, Problem> {
        Ok(RegisterVehicleResponse::Ok(body))
    }
}

async fn post(base: &str, path: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// Serves [`Echo`] on a loopback port of its own; its base URL.
async fn serve_echo() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(
        async move { axum::serve(listener, schema_constructs::server::router(Echo)).await },
    );
    base
}

#[tokio::test]
async fn the_server_answers_400_naming_the_field_that_breaks_a_constraint() {
    let base = serve_echo().await;

    let (status, problem) = post(&base, "/pets", json!({ "name": "" })).await;
    assert_eq!(status, 400);
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("body.name: length 0 is below minLength 1"),
        "{detail}"
    );

    let (status, pet) = post(&base, "/pets", json!({ "name": "Rex" })).await;
    assert_eq!(status, 201);
    assert_eq!(pet["name"], "Rex");

    let get = |query: &'static str| {
        let url = format!("{base}/shapes?{query}");
        async move {
            let response = reqwest::get(url).await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    assert_eq!(get("prefix=ab&limit=5").await, (200, json!([])));
    let (status, problem) = get("prefix=abcd&limit=500").await;
    assert_eq!(status, 400);
    assert_eq!(problem["detail"], "query.limit: 500 is above maximum 100");
    let (status, problem) = get("prefix=abcd").await;
    assert_eq!(status, 400);
    assert_eq!(
        problem["detail"],
        "query.prefix: length 4 is above maxLength 3"
    );
    // Each item of a list parameter is held to its `items` schema.
    assert_eq!(get("prefix=ab&sides=3&sides=8").await, (200, json!([])));
    let (status, problem) = get("prefix=ab&sides=4&sides=2").await;
    assert_eq!(status, 400);
    assert_eq!(problem["detail"], "query.sides[1]: 2 is below minimum 3");
    // A list of many bad items is checked to a bounded number of problems.
    let many = format!("{base}/shapes?prefix=ab{}", "&sides=1".repeat(1000));
    let response = reqwest::get(many).await.unwrap();
    assert_eq!(response.status(), 400);
    let problem: Value = response.json().await.unwrap();
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("query.sides[0]: 1 is below minimum 3; "),
        "{detail}"
    );
    assert!(
        detail.ends_with("(checking stops at 100 problems)"),
        "{detail}"
    );
    assert_eq!(detail.matches("is below minimum").count(), 100);

    // A body is held to its own schema's constraints, and its items to theirs.
    let added = reqwest::Client::new()
        .post(format!("{base}/labels"))
        .json(&json!(["red", "green"]))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 204);
    for (labels, detail) in [
        (
            json!(["a", "b", "c", "d"]),
            "body: 4 items is above maxItems 3",
        ),
        (
            json!(["red", "turquoise"]),
            "body[1]: length 9 is above maxLength 8",
        ),
    ] {
        let (status, problem) = post(&base, "/labels", labels).await;
        assert_eq!((status, problem["detail"].as_str()), (400, Some(detail)));
    }

    let shape = json!({ "kind": "circle", "radius": 2.0 });
    let (status, echoed) = post(&base, "/shapes", shape.clone()).await;
    assert_eq!((status, echoed), (200, shape));
}

/// A client reads a null as absent wherever a field is optional; the server refuses one
/// where the schema does not allow it, and says where: in nested structs and lists, and in
/// the variant a tag picks.
#[tokio::test]
async fn nulls_the_schema_refuses_are_found_at_any_depth() {
    let base = serve_echo().await;
    let refused = |path: &'static str, body: Value| {
        let base = base.clone();
        async move {
            let (status, problem) = post(&base, path, body).await;
            assert_eq!(status, 400, "{problem}");
            problem["detail"].as_str().unwrap().to_owned()
        }
    };

    let tree = json!({
        "value": "root",
        "children": [{"value": "a"}, {"value": "b", "children": null}]
    });
    let detail = refused("/trees", tree.clone()).await;
    assert!(
        detail.contains("body.children[1].children: null is not allowed here"),
        "{detail}"
    );
    let detail = refused("/trees", json!({"value": "root", "parent": null})).await;
    assert!(
        detail.contains("body.parent: null is not allowed here"),
        "{detail}"
    );
    // A client reads the same JSON, nulls as absent.
    let read: TreeNode = serde_json::from_value(tree).unwrap();
    assert_eq!(read.children.unwrap()[1].children, None);

    let detail = refused("/animals", json!({"animalType": "Cat", "lives": null})).await;
    assert!(detail.contains("null is not allowed here"), "{detail}");
    let cat = json!({"animalType": "Cat", "lives": 9});
    assert_eq!(post(&base, "/animals", cat.clone()).await, (200, cat));
    let tree = json!({"value": "root", "children": [{"value": "a"}]});
    assert_eq!(post(&base, "/trees", tree.clone()).await, (200, tree));
}

/// A variant's value goes where its union is taken: `From` each distinct variant type.
#[tokio::test]
async fn a_client_takes_a_variant_where_the_union_goes() {
    let client = schema_constructs::client::Client::new(&serve_echo().await).unwrap();
    let AdoptAnimalResponse::Ok(animal) = client
        .adopt_animal(Cat { lives: Some(9) })
        .send()
        .await
        .unwrap();
    assert_eq!(animal, Animal::Cat(Cat { lives: Some(9) }));
    assert_eq!(PetOrList::from(Vec::new()), PetOrList::Array(Vec::new()));
    assert_eq!(IdOrName::from(7), IdOrName::Integer(7));
    // Two alternatives of one Rust type (strings; `Pet` and its alias) convert into neither.
    assert_eq!(Reachable::from(5), Reachable::Integer(5));
}

/// Problem details from any server: null or absent members are `None`, members it does not
/// name (`type`, `instance`) are kept, and a body without a status is not problem details.
#[test]
fn problem_details_keep_their_other_members() {
    let problem: Problem = serde_json::from_value(json!({
        "type": "https://example.com/out-of-stock",
        "title": null,
        "status": 409,
        "detail": "no such pet left",
        "instance": "/pets/7"
    }))
    .unwrap();
    assert_eq!(problem.status, 409);
    assert_eq!(problem.title, None);
    assert_eq!(problem.detail.as_deref(), Some("no such pet left"));
    assert_eq!(problem.location, None);
    assert_eq!(
        problem.extensions.keys().collect::<Vec<_>>(),
        ["instance", "type"]
    );
    assert_eq!(
        serde_json::to_value(&problem).unwrap(),
        json!({
            "type": "https://example.com/out-of-stock",
            "status": 409,
            "detail": "no such pet left",
            "instance": "/pets/7"
        })
    );
    let error = serde_json::from_value::<Problem>(json!({ "title": "Gone" })).unwrap_err();
    assert_eq!(error.to_string(), "missing field `status`");
}
