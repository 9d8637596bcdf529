//! Tables: boxed and coloured on a terminal, plain aligned columns when piped.

use comfy_table::presets::{NOTHING, UTF8_FULL_CONDENSED};
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table};

use super::WorkerRow;

/// How a table is drawn.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub boxed: bool,
    pub color: bool,
}

fn table(style: Style, header: &[&str]) -> Table {
    let mut t = Table::new();
    if style.boxed {
        t.load_style(UTF8_FULL_CONDENSED);
        // Wrap to the terminal's width, unless it reports none (some pseudo-terminals say 0).
        if t.width().is_some_and(|w| w >= 40) {
            t.set_content_arrangement(ContentArrangement::Dynamic);
        }
    } else {
        t.load_style(NOTHING);
        // Without a terminal comfy-table would still emit style codes unless told otherwise.
        t.force_no_tty();
    }
    if style.color {
        t.enforce_styling();
    }
    t.set_header(header.iter().map(|h| {
        let c = Cell::new(h.to_uppercase());
        if style.color {
            c.add_attribute(Attribute::Bold)
        } else {
            c
        }
    }));
    t
}

pub fn workers(rows: &[WorkerRow], style: Style) -> String {
    let mut t = table(style, &["name", "active", "address", "leader"]);
    for r in rows {
        let active = Cell::new(if r.active { "yes" } else { "no" });
        let active = match (style.color, r.active) {
            (true, true) => active.fg(Color::Green),
            (true, false) => active.fg(Color::DarkGrey),
            _ => active,
        };
        t.add_row(vec![
            Cell::new(&r.name),
            active,
            Cell::new(&r.address),
            Cell::new(if r.leader { "leader" } else { "" }),
        ]);
    }
    let mut s = t.to_string();
    if !style.boxed {
        // The NOTHING preset pads every cell with a space on both sides; scripts want columns that
        // start at the margin and no trailing blanks.
        s = s
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end())
            .collect::<Vec<_>>()
            .join("\n");
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<WorkerRow> {
        vec![
            WorkerRow {
                name: "lead".into(),
                active: true,
                address: "lead.local".into(),
                static_address: false,
                leader: true,
            },
            WorkerRow {
                name: "pio02".into(),
                active: false,
                address: "10.0.0.2".into(),
                static_address: true,
                leader: false,
            },
        ]
    }

    #[test]
    fn plain_table_is_aligned_columns() {
        let s = workers(
            &rows(),
            Style {
                boxed: false,
                color: false,
            },
        );
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("NAME"));
        assert_eq!(
            lines[1].split_whitespace().collect::<Vec<_>>(),
            ["lead", "yes", "lead.local", "leader"]
        );
        assert_eq!(
            lines[2].split_whitespace().collect::<Vec<_>>(),
            ["pio02", "no", "10.0.0.2"]
        );
        assert_eq!(lines[1].find("yes"), lines[2].find("no"));
        assert!(!s.contains('\x1b'));
    }

    #[test]
    fn boxed_colored_table_has_styles() {
        let s = workers(
            &rows(),
            Style {
                boxed: true,
                color: true,
            },
        );
        assert!(s.contains('\x1b') && s.contains('│'));
    }
}
