//! UTC times as text, both ways: what the Pioreactor software writes (`2026-11-24T15:00:00.123Z`)
//! read, and stamps for file names and people written. A leaf: the date arithmetic lives here
//! once (Howard Hinnant's civil-date algorithms), for the transports, archives and tests.

use std::time::{SystemTime, UNIX_EPOCH};

/// Days since 1970-01-01 of a civil date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date and time of `secs` since the epoch: year, month, day, hour, minute, second.
fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rest / 3600, rest % 3600 / 60, rest % 60)
}

fn since_epoch(t: SystemTime) -> std::time::Duration {
    t.duration_since(UNIX_EPOCH).unwrap_or_default()
}

/// `t` twice: `20261206T153000Z` for file names, `2026-12-06T15:30:00Z` for people.
pub fn stamps(t: SystemTime) -> (String, String) {
    let (y, m, d, h, mi, s) = civil(since_epoch(t).as_secs() as i64);
    (
        format!("{y:04}{m:02}{d:02}T{h:02}{mi:02}{s:02}Z"),
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
    )
}

/// `t` as the Pioreactor software writes it, to the millisecond (`2026-11-24T15:00:00.123Z`).
pub fn iso_millis(t: SystemTime) -> String {
    let since = since_epoch(t);
    let (y, m, d, h, mi, s) = civil(since.as_secs() as i64);
    let ms = since.subsec_millis();
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
}

/// An ISO 8601 UTC time as the Pioreactor software writes it (`2026-11-24T15:00:00.123Z`, or
/// with `+00:00`).
pub fn parse(s: &str) -> Option<std::time::SystemTime> {
    let s = s.trim();
    let (date, time) = s.split_once(['T', ' '])?;
    // The offset east of UTC: `Z`, `+HH:MM`, `-HH:MM`, or none (UTC).
    let (time, offset) = match time.rfind(['Z', '+', '-']) {
        Some(i) if &time[i..] == "Z" => (&time[..i], 0),
        Some(i) => {
            let sign = if time.as_bytes()[i] == b'-' { -1 } else { 1 };
            let (oh, om) = time[i + 1..]
                .split_once(':')
                .unwrap_or((&time[i + 1..], "0"));
            (
                &time[..i],
                sign * (oh.parse::<i64>().ok()? * 3600 + om.parse::<i64>().ok()? * 60),
            )
        }
        None => (time, 0),
    };
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (h, min, sec) = (t.next()??, t.next()??, t.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || h > 23 || min > 59 || sec > 60 {
        return None;
    }
    let digits: String = frac
        .chars()
        .take_while(char::is_ascii_digit)
        .take(9)
        .collect();
    let nanos = format!("{digits:0<9}").parse::<u32>().ok()?;
    let days = days_from_civil(y, m, day);
    let secs = u64::try_from(days * 86_400 + h * 3600 + min * 60 + sec - offset).ok()?;
    Some(std::time::UNIX_EPOCH + std::time::Duration::new(secs, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn pioreactor_timestamps_parse() {
        let t = |s| parse(s).map(|t| t.duration_since(UNIX_EPOCH).unwrap());
        assert_eq!(t("1970-01-01T00:00:00Z"), Some(Duration::ZERO));
        assert_eq!(
            t("2026-11-24T15:00:00.5Z"),
            Some(Duration::new(1_795_532_400, 500_000_000))
        );
        assert_eq!(
            t("2000-03-01T00:00:00+00:00"),
            Some(Duration::from_secs(951_868_800))
        );
        assert_eq!(
            t("2026-11-24T16:00:00.5+01:00"),
            t("2026-11-24T15:00:00.5Z")
        );
        assert_eq!(t("2026-11-24T14:30:00-00:30"), t("2026-11-24T15:00:00Z"));
        assert_eq!(t("2026-13-01T00:00:00Z"), None);
        assert_eq!(t("yesterday"), None);
    }

    #[test]
    fn stamps_are_utc() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_532_400);
        let (compact, iso) = stamps(t);
        assert_eq!(compact, "20261124T150000Z");
        assert_eq!(iso, "2026-11-24T15:00:00Z");
    }

    #[test]
    fn what_is_written_reads_back() {
        let t = UNIX_EPOCH + Duration::new(1_795_532_400, 123_000_000);
        assert_eq!(iso_millis(t), "2026-11-24T15:00:00.123Z");
        assert_eq!(parse(&iso_millis(t)), Some(t));
    }
}
