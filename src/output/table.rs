//! Tables: boxed and coloured on a terminal (comfy-table), plain aligned columns when piped.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table};

use std::borrow::Cow;
use std::io::{self, Write};

use super::{WorkerRow, escape_line};

const SPACES: &str = "                                                                ";

/// How a table is drawn.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub boxed: bool,
    pub color: bool,
}

/// The terminal's width in columns, where stdout is one that reports it (40 or more).
pub fn terminal_width() -> Option<usize> {
    Table::new().width().map(usize::from).filter(|w| *w >= 40)
}

fn table(style: Style, header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    // Wrap to the terminal's width, unless it reports none (some pseudo-terminals say 0).
    if t.width().is_some_and(|w| w >= 40) {
        t.set_content_arrangement(ContentArrangement::Dynamic);
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

/// The `workers list` table. `rows` is walked twice (column widths, then lines), so an inventory
/// of thousands needs no list of rows in memory.
pub fn workers<'a>(
    rows: impl Iterator<Item = WorkerRow<'a>> + Clone,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    fn cells<'a>(r: &WorkerRow<'a>) -> [Cow<'a, str>; 4] {
        [
            r.name.into(),
            r.active_word().into(),
            r.address_shown(),
            (if r.leader { "leader" } else { "" }).into(),
        ]
    }
    const HEADER: [&str; 4] = ["NAME", "ACTIVE", "ADDRESS", "LEADER"];
    if !style.boxed {
        return plain(&HEADER, rows, cells, style, out);
    }
    let mut t = table(style, &HEADER);
    for r in rows {
        let [name, active, address, leader] = cells(&r);
        let active = coloured(style, "active", &active);
        t.add_row(vec![
            Cell::new(escape_line(&name)),
            active,
            Cell::new(escape_line(&address)),
            Cell::new(leader),
        ]);
    }
    writeln!(out, "{t}")
}

/// Any table of text cells: boxed on a terminal, aligned columns when piped.
pub fn generic<const N: usize>(
    header: &[&str; N],
    rows: &[[String; N]],
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let upper = header.map(str::to_uppercase);
    let upper_refs: [&str; N] = std::array::from_fn(|i| upper[i].as_str());
    if !style.boxed {
        return plain(
            &upper_refs,
            rows.iter(),
            |r| (*r).clone().map(Cow::Owned),
            style,
            out,
        );
    }
    let mut t = table(style, &upper_refs);
    for r in rows {
        t.add_row(
            r.iter()
                .zip(header)
                .map(|(c, h)| coloured(style, h, c))
                .collect::<Vec<_>>(),
        );
    }
    writeln!(out, "{t}")
}

/// A boxed table's cell, in the palette's colour for its column and value.
fn coloured(style: Style, column: &str, value: &str) -> Cell {
    let cell = Cell::new(escape_line(value));
    let colour = match super::cell_colour(column, value).filter(|_| style.color) {
        Some(super::GREEN) => Color::Green,
        Some(super::YELLOW) => Color::Yellow,
        Some(super::RED) => Color::Red,
        Some(_) => Color::DarkGrey,
        None => return cell,
    };
    cell.fg(colour)
}

/// Aligned columns separated by two spaces, no trailing blanks: for pipes and scripts. Streams
/// the rows, so an inventory of thousands costs no extra memory. Cells are escaped
/// ([`escape_line`]) as they are measured and written.
fn plain<'c, T, const N: usize>(
    header: &[&str; N],
    rows: impl Iterator<Item = T> + Clone,
    raw_cells: impl Fn(&T) -> [Cow<'c, str>; N],
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let cells = |row: &T| {
        raw_cells(row).map(|c| match escape_line(&c) {
            Cow::Borrowed(_) => c,
            Cow::Owned(escaped) => Cow::Owned(escaped),
        })
    };
    let mut widths = header.map(|h| h.chars().count());
    for row in rows.clone() {
        for (w, cell) in widths.iter_mut().zip(cells(&row)) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut line = |cells: &[Cow<str>; N]| -> io::Result<()> {
        // The last non-empty cell ends the line: no trailing blanks.
        let last = cells.iter().rposition(|c| !c.is_empty()).unwrap_or(0);
        for (i, cell) in cells[..=last].iter().enumerate() {
            // Coloured (--color always) by the palette; widths count the text only.
            match super::cell_colour(header[i], cell).filter(|_| style.color) {
                Some(code) => out.write_all(super::paint(true, code, cell).as_bytes())?,
                None => out.write_all(cell.as_bytes())?,
            }
            if i < last {
                // Written in pieces: a width past 65,535 is out of range for `{:pad$}`.
                let mut pad = widths[i] - cell.chars().count() + 2;
                while pad > 0 {
                    let n = pad.min(SPACES.len());
                    out.write_all(&SPACES.as_bytes()[..n])?;
                    pad -= n;
                }
            }
        }
        out.write_all(b"\n")
    };
    line(&header.map(Cow::Borrowed))?;
    for row in rows {
        line(&cells(&row))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{Flaws, Reach};

    fn render(style: Style) -> String {
        let mut out = Vec::new();
        workers(rows().into_iter(), style, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn rows() -> Vec<WorkerRow<'static>> {
        vec![
            WorkerRow {
                name: "lead",
                active: true,
                reach: Reach::Mdns,
                leader: true,
                model_name: None,
                model_version: None,
                experiment: None,
                release: None,
                flaws: Flaws::NONE,
            },
            WorkerRow {
                name: "pio02",
                active: false,
                reach: Reach::Static("10.0.0.2"),
                leader: false,
                model_name: None,
                model_version: None,
                experiment: None,
                release: None,
                flaws: Flaws::NONE,
            },
        ]
    }

    #[test]
    fn plain_table_is_aligned_columns() {
        let s = render(Style {
            boxed: false,
            color: false,
        });
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
        let s = render(Style {
            boxed: true,
            color: true,
        });
        assert!(s.contains('\x1b') && s.contains('│'));
    }
}
