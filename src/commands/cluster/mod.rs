//! `pio cluster ...`: the commands about the whole cluster at once (the Python CLI keeps its own
//! `cluster join` and `cluster leave`).

pub mod update;
