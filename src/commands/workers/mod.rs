pub mod add;
pub mod discover;
pub mod list;
pub mod remove;
pub mod set_active;
pub mod status;

use crate::cluster::NameError;
use crate::cluster::plan::NotInInventory;
use crate::error::Error;

fn invalid_name(e: NameError) -> Error {
    Error::usage(e.to_string()).with_hint(e.hint)
}

fn not_in_inventory(e: NotInInventory, config: &std::path::Path) -> Error {
    let names = e.0.join(", ");
    let what = if e.0.len() == 1 { "is" } else { "are" };
    Error::usage(format!(
        "{names} {what} not in the inventory of {}; nothing was changed",
        config.display()
    ))
    .with_hint("`pio workers list` shows the workers there are.")
}
