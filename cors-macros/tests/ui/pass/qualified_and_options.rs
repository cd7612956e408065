//! Fully qualified attribute paths, `name`, doc comments, visibility,
//! handlers in modules, trailing commas, and a result-returning handler.

mod api {
    /// Lists the posts.
    #[cors_actix::cors(origins = ["https://app.example.com"],)]
    #[actix_web::get("/posts", name = "posts")]
    pub async fn list_posts(req: actix_web::HttpRequest) -> actix_web::HttpResponse {
        let url = req.url_for_static("posts").unwrap();
        actix_web::HttpResponse::Ok().body(url.to_string())
    }

    #[cors_actix::cors(
        origins = ["https://app.example.com"],
        credentials = false,
        private_network = false,
    )]
    #[actix_web::post("/posts")]
    pub(crate) async fn create_post() -> Result<actix_web::HttpResponse, actix_web::Error> {
        Ok(actix_web::HttpResponse::Created().finish())
    }
}

fn main() {
    let _app = actix_web::App::new()
        .service(api::list_posts)
        .service(api::create_post);
}
