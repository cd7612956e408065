#[cors_actix::cors(origins = ["https://app.example.com"])]
struct Handler;

fn main() {}
