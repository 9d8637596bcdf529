//! This unit's HAT as its release describes it: the identify LED's pin.
//!
//! Up to 25.9 the pin is BCM 23 in the software itself. From 25.11.10 each unit's hardware
//! description names it: `pcb_led_pin` in `<dot_pioreactor>/hardware/hats/<hat>/gpio.yaml`,
//! overridden by `hardware/models/<model>/<version>/gpio.yaml` (as the Python stack layers them).

use std::path::{Path, PathBuf};

use crate::release::{LedPin, Release};
use crate::transport::gpio::DEFAULT_LED_PIN;

/// The largest gpio.yaml pio reads (the real ones are a few lines).
const MAX_YAML: u64 = 64 * 1024;

/// Where the HAT's version is read when `$HARDWARE` does not give it.
pub const HAT_EEPROM: &str = "/proc/device-tree/hat/product_ver";

/// The pin and where it came from, in words.
#[derive(Debug, PartialEq, Eq)]
pub struct Pin {
    pub bcm: u8,
    pub from: String,
}

/// What pio knows of this unit to find its pin.
pub struct Unit<'a> {
    /// This unit's release (`None`: no Pioreactor software found here).
    pub release: Option<&'a Release>,
    /// The folder config.ini is in (`~/.pioreactor`).
    pub dot_pioreactor: &'a Path,
    /// The HAT's version (`1.2`), from `$HARDWARE` or the HAT's EEPROM.
    pub hat: Option<String>,
    /// The unit's model, as the leader records it (the Python stack's default otherwise).
    pub model: (String, String),
}

/// The identify LED's BCM pin, read as the unit's release reads it. Where the release predates
/// the hardware description, BCM 23; where it has one but names no pin, an error saying which
/// files were read.
pub fn led_pin(unit: &Unit) -> Result<Pin, String> {
    let described = unit
        .release
        .is_none_or(|r| r.needs().led_pin == LedPin::HardwareYaml);
    if !described {
        return Ok(Pin {
            bcm: DEFAULT_LED_PIN,
            from: format!(
                "release {}, which has it fixed",
                unit.release.map(Release::as_str).unwrap_or_default()
            ),
        });
    }
    let hardware = unit.dot_pioreactor.join("hardware");
    let mut files = Vec::new();
    if let Some(hat) = &unit.hat {
        files.push(hardware.join("hats").join(hat));
    }
    let (name, version) = &unit.model;
    files.push(hardware.join("models").join(name).join(version));
    // The model's file overrides the HAT's: the last one naming the pin wins.
    let mut found = None;
    let mut read = Vec::new();
    for dir in &files {
        let Some(file) = yaml_in(dir) else { continue };
        read.push(file.display().to_string());
        if let Some(pin) = pcb_led_pin(&file)? {
            found = Some(Pin {
                bcm: pin,
                from: file.display().to_string(),
            });
        }
    }
    match (found, unit.release) {
        (Some(pin), _) => Ok(pin),
        // Without the Python stack here, nothing says the pin moved.
        (None, None) => Ok(Pin {
            bcm: DEFAULT_LED_PIN,
            from: "no Pioreactor software or hardware description found here".to_string(),
        }),
        (None, Some(release)) => Err(format!(
            "release {release} names the LED's pin in its hardware description, and none was \
             found ({})",
            if read.is_empty() {
                format!(
                    "no gpio.yaml in {}",
                    files
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect::<Vec<_>>()
                        .join(" or ")
                )
            } else {
                format!("no pcb_led_pin in {}", read.join(", "))
            }
        )),
    }
}

/// `gpio.yaml` in `dir`, else `gpio.yml` (26.11 reads either).
fn yaml_in(dir: &Path) -> Option<PathBuf> {
    ["gpio.yaml", "gpio.yml"]
        .iter()
        .map(|f| dir.join(f))
        .find(|f| f.symlink_metadata().is_ok())
}

/// `pcb_led_pin` of a gpio.yaml: a BCM pin, 0-27.
fn pcb_led_pin(file: &Path) -> Result<Option<u8>, String> {
    let text = read_small(file)?;
    top_level_int(&text, "pcb_led_pin").map_err(|said| {
        format!(
            "{}: pcb_led_pin is {said}, not a BCM pin (0-27)",
            file.display()
        )
    })
}

/// A top-level key of a flat YAML mapping (what a Pioreactor gpio.yaml is: one `key: value` a
/// line, `#` comments), as YAML reads a plain integer 0-27: `None` when the key is absent or
/// null (`~`, `null`, nothing), else the value or, when it is not such an integer (a quoted
/// string, another number), what it is. A hand-written reader of this one shape, not a YAML
/// parser: a YAML crate would be about 47 KB of the 5 MB binary for one key.
fn top_level_int(text: &str, key: &str) -> Result<Option<u8>, String> {
    for line in text.lines() {
        // Indented lines belong to a nested mapping, not the top level.
        let Some(rest) = line.strip_prefix(key) else {
            continue;
        };
        let Some(value) = rest.trim_start_matches([' ', '\t']).strip_prefix(':') else {
            continue;
        };
        // A comment starts at ` #` (or at the value's start).
        let value = match value.find(" #").or(value.find("\t#")) {
            Some(at) => &value[..at],
            None => value,
        };
        let value = value.trim();
        let value = if value.starts_with('#') { "" } else { value };
        return match value {
            "" | "~" | "null" | "Null" | "NULL" => Ok(None),
            v => match v.parse::<u8>() {
                Ok(n) if n <= 27 && !(v.len() > 1 && v.starts_with('0')) => Ok(Some(n)),
                _ => Err(format!("'{}'", crate::text::escape_line(v))),
            },
        };
    }
    Ok(None)
}

/// A regular file of at most [`MAX_YAML`] bytes, never a device or a FIFO, nor reached through
/// a link another user planted ([`crate::files`]).
fn read_small(file: &Path) -> Result<String, String> {
    crate::files::read_text(file, MAX_YAML).map_err(|e| match crate::files::refusal(&e) {
        Some(crate::files::Refused::TooLarge(_)) => format!(
            "{}: larger than {MAX_YAML} bytes; a gpio.yaml is a few lines",
            file.display()
        ),
        _ => format!("{}: {e}", file.display()),
    })
}

/// The HAT's version from its EEPROM's `product_ver` (`0x0012` is 1.2: its last two characters).
pub fn hat_from_eeprom(text: &str) -> Option<String> {
    let digits: Vec<char> = text.trim_end_matches(['\0', '\n']).chars().collect();
    match digits.as_slice() {
        [.., major, minor] if major.is_ascii_digit() && minor.is_ascii_digit() => {
            Some(format!("{major}.{minor}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit<'a>(release: Option<&'a Release>, dot: &'a Path) -> Unit<'a> {
        Unit {
            release,
            dot_pioreactor: dot,
            hat: Some("1.2".into()),
            model: ("pioreactor_40ml".into(), "1.5".into()),
        }
    }

    #[test]
    fn the_pin_is_read_as_each_release_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let dot = dir.path();
        let hat = dot.join("hardware/hats/1.2");
        std::fs::create_dir_all(&hat).unwrap();
        std::fs::write(
            hat.join("gpio.yaml"),
            "pcb_led_pin: 17\npcb_button_pin: 4\n",
        )
        .unwrap();
        let old = Release::parse("25.9.18").unwrap();
        let new = Release::parse("26.11.1").unwrap();
        // Before the hardware description: 23, whatever the files say.
        assert_eq!(led_pin(&unit(Some(&old), dot)).unwrap().bcm, 23);
        assert_eq!(led_pin(&unit(Some(&new), dot)).unwrap().bcm, 17);
        // The model's file wins over the HAT's.
        let model = dot.join("hardware/models/pioreactor_40ml/1.5");
        std::fs::create_dir_all(&model).unwrap();
        std::fs::write(model.join("gpio.yml"), "pcb_led_pin: 5\n").unwrap();
        let pin = led_pin(&unit(Some(&new), dot)).unwrap();
        assert_eq!(pin.bcm, 5);
        assert!(
            pin.from.ends_with("models/pioreactor_40ml/1.5/gpio.yml"),
            "{pin:?}"
        );
        // A pin that is not one, and a description without a pin, are errors naming the file.
        std::fs::write(model.join("gpio.yml"), "pcb_led_pin: 99\n").unwrap();
        let e = led_pin(&unit(Some(&new), dot)).unwrap_err();
        assert!(e.contains("gpio.yml: pcb_led_pin is"), "{e}");
        std::fs::write(model.join("gpio.yml"), "sda_pin: 2\n").unwrap();
        std::fs::write(hat.join("gpio.yaml"), "sda_pin: 2\n").unwrap();
        let e = led_pin(&unit(Some(&new), dot)).unwrap_err();
        assert!(e.contains("no pcb_led_pin in"), "{e}");
        // No Python stack here and no description: 23.
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(led_pin(&unit(None, empty.path())).unwrap().bcm, 23);
        assert!(led_pin(&unit(Some(&new), empty.path())).is_err());
    }

    #[test]
    fn a_top_level_key_is_read_as_yaml_reads_a_plain_integer() {
        let read = |text: &str| top_level_int(text, "pcb_led_pin");
        assert_eq!(read("pcb_led_pin: 17\npcb_button_pin: 4\n"), Ok(Some(17)));
        assert_eq!(
            read("# LED\npcb_led_pin:   5   # the blue one\n"),
            Ok(Some(5))
        );
        assert_eq!(read("pcb_led_pin: 0\n"), Ok(Some(0)));
        for absent in [
            "sda_pin: 2\n",
            "pcb_led_pin:\n",
            "pcb_led_pin: ~\n",
            "pcb_led_pin: null\n",
            "",
        ] {
            assert_eq!(read(absent), Ok(None), "{absent:?}");
        }
        // Nested, it is another key; a pin that is none is said as written.
        assert_eq!(read("leds:\n  pcb_led_pin: 5\n"), Ok(None));
        for bad in [
            "pcb_led_pin: 99\n",
            "pcb_led_pin: '5'\n",
            "pcb_led_pin: 5.0\n",
            "pcb_led_pin: -1\n",
            "pcb_led_pin: 05\n",
        ] {
            assert!(read(bad).is_err(), "{bad:?}");
        }
        // A longer key that starts the same is not it.
        assert_eq!(read("pcb_led_pin_b: 5\n"), Ok(None));
    }

    #[test]
    fn the_hat_version_is_the_eeproms_last_two_digits() {
        assert_eq!(hat_from_eeprom("0x0012\0"), Some("1.2".into()));
        assert_eq!(hat_from_eeprom("0x0013\n"), Some("1.3".into()));
        assert_eq!(hat_from_eeprom(""), None);
        assert_eq!(hat_from_eeprom("zz"), None);
    }
}
