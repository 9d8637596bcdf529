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
    let docs = yaml_rust2::YamlLoader::load_from_str(&text)
        .map_err(|e| format!("{}: not YAML: {e}", file.display()))?;
    let Some(doc) = docs.first() else {
        return Ok(None);
    };
    match &doc["pcb_led_pin"] {
        yaml_rust2::Yaml::BadValue | yaml_rust2::Yaml::Null => Ok(None),
        yaml_rust2::Yaml::Integer(n) if (0..=27).contains(n) => Ok(Some(*n as u8)),
        other => Err(format!(
            "{}: pcb_led_pin is {other:?}, not a BCM pin (0-27)",
            file.display()
        )),
    }
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
    fn the_hat_version_is_the_eeproms_last_two_digits() {
        assert_eq!(hat_from_eeprom("0x0012\0"), Some("1.2".into()));
        assert_eq!(hat_from_eeprom("0x0013\n"), Some("1.3".into()));
        assert_eq!(hat_from_eeprom(""), None);
        assert_eq!(hat_from_eeprom("zz"), None);
    }
}
