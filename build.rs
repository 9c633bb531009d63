// `sqlx::migrate!()` embeds the migrations at compile time; without this a new migration
// would silently not ship until something else forced a rebuild.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
