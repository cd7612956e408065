//! Every actix-web route attribute under #[cors], in one app and in a scope.
use actix_web::{delete, get, head, patch, post, put, route, web, App, HttpResponse, Responder};
use cors_actix::cors;

#[cors(origins = ["https://app.example.com"])]
#[get("/items")]
async fn get_items() -> impl Responder {
    HttpResponse::Ok()
}

#[cors(origins = ["https://app.example.com"])]
#[post("/items")]
async fn post_items(body: String) -> impl Responder {
    HttpResponse::Ok().body(body)
}

#[cors(origins = ["https://app.example.com"])]
#[put("/items/{id}")]
async fn put_item(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok().body(id.to_string())
}

#[cors(origins = ["https://app.example.com"])]
#[patch("/items/{id}")]
async fn patch_item() -> impl Responder {
    HttpResponse::Ok()
}

#[cors(origins = ["https://admin.example.com"], credentials = true)]
#[delete("/items/{id}")]
async fn delete_item() -> impl Responder {
    HttpResponse::NoContent()
}

#[cors(origins = ["https://app.example.com"])]
#[head("/items")]
async fn head_items() -> impl Responder {
    HttpResponse::Ok()
}

#[cors(origins = ["https://app.example.com"])]
#[route("/search", method = "GET", method = "POST", method = "QUERY")]
async fn search() -> impl Responder {
    HttpResponse::Ok()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/files/{tail}*")]
async fn files(tail: web::Path<String>) -> impl Responder {
    HttpResponse::Ok().body(tail.into_inner())
}

fn main() {
    let _app = App::new()
        .service(get_items)
        .service(post_items)
        .service(put_item)
        .service(patch_item)
        .service(delete_item)
        .service(head_items)
        .service(search)
        .service(files)
        .service(web::scope("/v2").service(get_items).service(delete_item));
}
