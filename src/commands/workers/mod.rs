pub mod add;
pub mod assign;
pub mod discover;
pub mod list;
pub mod model;
pub mod remove;
pub mod replace;
pub mod set_active;
pub mod status;
pub mod sync_configs;

use crate::cluster::NameError;
use crate::error::Error;
use crate::inventory::api::ApiError;

fn invalid_name(e: NameError) -> Error {
    Error::usage(e.to_string()).with_hint(e.hint)
}

/// Names that are not in the inventory kept at `place` (config.ini's path, or the API's URL).
fn not_in_inventory(names: Vec<String>, place: &str) -> Error {
    let what = if names.len() == 1 { "is" } else { "are" };
    Error::usage(format!(
        "{} {what} not in the inventory ({place}); nothing was changed",
        names.join(", ")
    ))
    .with_hint("`pio workers list` shows the workers there are.")
}

/// The leader's API refused or did not answer ([`crate::inventory::api_failed`]).
pub fn api_failed(e: ApiError) -> Error {
    crate::inventory::api_failed(&e)
}
