#[cors_actix::cors(origins = ["https://app.example.com"], methods = ["GET", "PUT"])]
#[actix_web::put("/x")]
async fn handler() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

fn main() {}
