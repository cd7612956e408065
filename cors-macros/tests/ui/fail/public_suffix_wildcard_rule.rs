// Every name directly under compute.amazonaws.com is a public suffix (a
// wildcard rule of the list): any customer's host would match.
#[cors_actix::cors(origins = ["https://*.compute.amazonaws.com"], credentials = true)]
#[actix_web::get("/x")]
async fn handler() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

fn main() {}
