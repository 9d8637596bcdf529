//! A unit's system archive: `~/.pioreactor` as a zip, in the web UI's format (paths relative to
//! `~/.pioreactor`, and `pioreactor_export_metadata.json` naming the unit). pio reads only the
//! zip's central directory and that one small member: every member path is checked before
//! anything is sent to a unit, so a hostile archive cannot write outside `~/.pioreactor`. A leaf.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

/// The most an archive may hold or weigh, read from a unit or sent to one: a leader's
/// `~/.pioreactor` with years of its database is a few hundred MB.
pub const MAX_ARCHIVE: u64 = 4 << 30;
/// The most members an archive may have.
pub const MAX_MEMBERS: u64 = 200_000;
/// The member that names the unit (Pioreactor 25.11.12 and later, and every pio backup).
pub const METADATA: &str = "pioreactor_export_metadata.json";
/// The most of the metadata member pio reads.
const MAX_METADATA: usize = 64 * 1024;

/// What an archive holds, once every member was found safe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inspected {
    /// Files and folders, the metadata member excepted.
    pub members: u64,
    /// Their size once extracted, in bytes.
    pub bytes: u64,
    /// The unit it is of, as its metadata says (`None`: an archive that names none).
    pub unit: Option<String>,
    /// The release that made it, as its metadata says.
    pub release: Option<String>,
}

/// One entry of the central directory.
struct Member {
    name: Vec<u8>,
    method: u16,
    compressed: u64,
    size: u64,
    offset: u64,
    unix_type: u32,
}

fn bad(why: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, why.into())
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

/// Reads `file` (a zip of `len` bytes): every member checked ([`check_name`], no link, device
/// or FIFO, none twice, at most [`MAX_MEMBERS`] and [`MAX_ARCHIVE`] bytes extracted), and the
/// unit its metadata names. An error says which member and why.
pub fn inspect(file: &mut File, len: u64) -> io::Result<Inspected> {
    if len > MAX_ARCHIVE {
        return Err(bad(format!("larger than {} GiB", MAX_ARCHIVE >> 30)));
    }
    let (count, cd_offset, cd_size) = end_of_directory(file, len)?;
    if count > MAX_MEMBERS {
        return Err(bad(format!("more than {MAX_MEMBERS} members")));
    }
    if cd_offset.checked_add(cd_size).is_none_or(|end| end > len) || cd_size > 64 << 20 {
        return Err(bad("its central directory is not inside the file"));
    }
    let mut cd = vec![0u8; cd_size as usize];
    file.seek(SeekFrom::Start(cd_offset))?;
    file.read_exact(&mut cd)?;
    let members = directory(&cd, count)?;
    let mut seen = std::collections::HashSet::new();
    let mut found = Inspected {
        members: 0,
        bytes: 0,
        unit: None,
        release: None,
    };
    let mut metadata = None;
    for m in &members {
        let name = String::from_utf8_lossy(&m.name).into_owned();
        check_name(&m.name).map_err(|why| bad(format!("member {name:?}: {why}")))?;
        if !matches!(m.unix_type, 0 | 0o100000 | 0o040000) {
            return Err(bad(format!(
                "member {name:?} is a link, a device or a FIFO: pio restores files and folders only"
            )));
        }
        // The web UI's import leaves its metadata in ~/.pioreactor, so its next export holds
        // two: the last one counts, as for Python's zipfile.
        if name != METADATA && !seen.insert(name.trim_end_matches('/').to_string()) {
            return Err(bad(format!("member {name:?} is there twice")));
        }
        if name == METADATA {
            metadata = Some(m);
            continue;
        }
        found.members += 1;
        found.bytes = found.bytes.saturating_add(m.size);
    }
    if found.bytes > MAX_ARCHIVE {
        return Err(bad(format!(
            "it would extract to more than {} GiB",
            MAX_ARCHIVE >> 30
        )));
    }
    if let Some(m) = metadata {
        let bytes = read_member(file, m)?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| bad(format!("{METADATA} is not JSON: {e}")))?;
        let text = |k: &str| {
            value
                .get(k)
                .and_then(|v| v.as_str())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        found.unit = text("name");
        found.release = text("app_version");
    }
    Ok(found)
}

/// A member's path as the archive gives it: relative, `/`-separated, no `..`, no NUL, no `\`
/// (a Windows separator a tool may honour), nothing but `.pioreactor`'s own contents.
pub fn check_name(name: &[u8]) -> Result<(), &'static str> {
    if name.is_empty() || name.len() > 4096 {
        return Err("an empty or overlong path");
    }
    if name.contains(&0) || name.contains(&b'\\') {
        return Err("a NUL or a backslash in its path");
    }
    if name[0] == b'/' {
        return Err("an absolute path");
    }
    if name.split(|&b| b == b'/').any(|part| part == b"..") {
        return Err("a `..` in its path");
    }
    if name
        .split(|&b| b == b'/')
        .all(|part| part.is_empty() || part == b".")
    {
        return Err("a path that names the folder itself");
    }
    Ok(())
}

/// The end of central directory record (zip64's where present): member count, offset, size.
fn end_of_directory(file: &mut File, len: u64) -> io::Result<(u64, u64, u64)> {
    let tail = len.min(22 + 65_535 + 20);
    if tail < 22 {
        return Err(bad("not a zip archive (too short)"));
    }
    let mut buf = vec![0u8; tail as usize];
    file.seek(SeekFrom::Start(len - tail))?;
    file.read_exact(&mut buf)?;
    let at = (0..=buf.len() - 22)
        .rev()
        .find(|&i| buf[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
        .ok_or_else(|| bad("not a zip archive (no end of central directory)"))?;
    let count = u64::from(u16_at(&buf, at + 10));
    let size = u64::from(u32_at(&buf, at + 12));
    let offset = u64::from(u32_at(&buf, at + 16));
    if count != 0xffff && size != 0xffff_ffff && offset != 0xffff_ffff {
        return Ok((count, offset, size));
    }
    // Zip64: its locator sits just before the record.
    if at < 20 || buf[at - 20..at - 16] != [0x50, 0x4b, 0x06, 0x07] {
        return Err(bad("a zip64 archive without its locator"));
    }
    let record = u64_at(&buf, at - 20 + 8);
    let mut z = [0u8; 56];
    if record.checked_add(56).is_none_or(|end| end > len) {
        return Err(bad("a zip64 record outside the file"));
    }
    file.seek(SeekFrom::Start(record))?;
    file.read_exact(&mut z)?;
    if z[0..4] != [0x50, 0x4b, 0x06, 0x06] {
        return Err(bad("a zip64 record that is not one"));
    }
    Ok((u64_at(&z, 32), u64_at(&z, 48), u64_at(&z, 40)))
}

/// The central directory's `count` entries.
fn directory(cd: &[u8], count: u64) -> io::Result<Vec<Member>> {
    let mut members = Vec::new();
    let mut at = 0usize;
    for _ in 0..count {
        if at + 46 > cd.len() || cd[at..at + 4] != [0x50, 0x4b, 0x01, 0x02] {
            return Err(bad("a damaged central directory"));
        }
        let made_by_unix = cd[at + 5] == 3;
        let (name_len, extra_len, comment_len) = (
            usize::from(u16_at(cd, at + 28)),
            usize::from(u16_at(cd, at + 30)),
            usize::from(u16_at(cd, at + 32)),
        );
        let end = at + 46 + name_len + extra_len + comment_len;
        if end > cd.len() {
            return Err(bad("a damaged central directory"));
        }
        let mut m = Member {
            name: cd[at + 46..at + 46 + name_len].to_vec(),
            method: u16_at(cd, at + 10),
            compressed: u64::from(u32_at(cd, at + 20)),
            size: u64::from(u32_at(cd, at + 24)),
            offset: u64::from(u32_at(cd, at + 42)),
            unix_type: if made_by_unix {
                (u32_at(cd, at + 38) >> 16) & 0o170000
            } else {
                0
            },
        };
        zip64_sizes(
            &mut m,
            &cd[at + 46 + name_len..at + 46 + name_len + extra_len],
        );
        members.push(m);
        at = end;
    }
    Ok(members)
}

/// Takes the sizes and offset a zip64 extra field holds for those the entry marks 0xffffffff.
fn zip64_sizes(m: &mut Member, mut extra: &[u8]) {
    while extra.len() >= 4 {
        let (id, len) = (u16_at(extra, 0), usize::from(u16_at(extra, 2)));
        let Some(data) = extra.get(4..4 + len) else {
            return;
        };
        if id == 1 {
            let mut fields = data.chunks_exact(8).map(|c| u64_at(c, 0));
            for slot in [&mut m.size, &mut m.compressed, &mut m.offset] {
                if *slot == 0xffff_ffff {
                    *slot = fields.next().unwrap_or(u64::MAX);
                }
            }
        }
        extra = &extra[4 + len..];
    }
}

/// A small member's bytes (stored or deflated), at most [`MAX_METADATA`].
fn read_member(file: &mut File, m: &Member) -> io::Result<Vec<u8>> {
    if m.size > MAX_METADATA as u64 || m.compressed > MAX_METADATA as u64 {
        return Err(bad(format!("{METADATA} is larger than 64 KiB")));
    }
    let mut header = [0u8; 30];
    file.seek(SeekFrom::Start(m.offset))?;
    file.read_exact(&mut header)?;
    if header[0..4] != [0x50, 0x4b, 0x03, 0x04] {
        return Err(bad(format!("{METADATA}: a damaged local header")));
    }
    let skip = u64::from(u16_at(&header, 26)) + u64::from(u16_at(&header, 28));
    file.seek(SeekFrom::Current(skip as i64))?;
    let mut raw = vec![0u8; m.compressed as usize];
    file.read_exact(&mut raw)?;
    match m.method {
        0 => Ok(raw),
        8 => inflate(&raw, m.size as usize),
        other => Err(bad(format!("{METADATA}: compression method {other}"))),
    }
}

/// zlib's allocator, as a C caller would give it (libz-sys's fields are not nullable).
extern "C" fn z_alloc(
    _: libz_sys::voidpf,
    items: libz_sys::uInt,
    size: libz_sys::uInt,
) -> libz_sys::voidpf {
    // SAFETY: calloc with sizes zlib asks for; zlib checks for null.
    unsafe { libc::calloc(items as usize, size as usize) }
}

extern "C" fn z_free(_: libz_sys::voidpf, address: libz_sys::voidpf) {
    // SAFETY: `address` came from z_alloc.
    unsafe { libc::free(address) }
}

/// Raw deflate, through the zlib pio links already (for libssh2).
fn inflate(raw: &[u8], size: usize) -> io::Result<Vec<u8>> {
    use libz_sys as z;
    let mut out = vec![0u8; size.max(1)];
    let mut s = z::z_stream {
        next_in: raw.as_ptr().cast_mut(),
        avail_in: raw.len() as z::uInt,
        total_in: 0,
        next_out: out.as_mut_ptr(),
        avail_out: size as z::uInt,
        total_out: 0,
        msg: std::ptr::null_mut(),
        state: std::ptr::null_mut(),
        zalloc: z_alloc,
        zfree: z_free,
        opaque: std::ptr::null_mut(),
        data_type: 0,
        adler: 0,
        reserved: 0,
    };
    // SAFETY: next_in/next_out point into buffers that outlive the calls, with their lengths
    // (zlib never writes to next_in); inflateEnd frees what inflateInit2_ allocated.
    let (status, produced) = unsafe {
        let init = z::inflateInit2_(
            &mut s,
            -15,
            z::zlibVersion(),
            std::mem::size_of::<z::z_stream>() as i32,
        );
        if init != z::Z_OK {
            return Err(bad("zlib could not start"));
        }
        let status = z::inflate(&mut s, z::Z_FINISH);
        let produced = s.total_out as usize;
        z::inflateEnd(&mut s);
        (status, produced)
    };
    if status != z::Z_STREAM_END || produced != size {
        return Err(bad(format!("{METADATA}: damaged compressed data")));
    }
    out.truncate(size);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip(script: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.zip");
        let out = std::process::Command::new("python3")
            .args(["-c", script])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (dir, path)
    }

    fn inspect_path(path: &std::path::Path) -> io::Result<Inspected> {
        let mut f = File::open(path).unwrap();
        let len = f.metadata().unwrap().len();
        inspect(&mut f, len)
    }

    #[test]
    fn a_web_ui_export_names_its_unit() {
        let (_d, p) = zip(
            "import sys,zipfile,json\nz=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)\n\
             z.writestr('config.ini','[x]\\n')\nz.writestr('storage/','')\n\
             z.writestr('pioreactor_export_metadata.json',json.dumps({'name':'pio02','app_version':'26.11.1'}))\nz.close()",
        );
        let got = inspect_path(&p).unwrap();
        assert_eq!(got.unit.as_deref(), Some("pio02"));
        assert_eq!(got.release.as_deref(), Some("26.11.1"));
        assert_eq!((got.members, got.bytes), (2, 4));
    }

    #[test]
    fn hostile_members_are_refused_before_anything_is_extracted() {
        for (name, why) in [
            ("../evil", "`..`"),
            ("/etc/passwd", "absolute"),
            ("a/../../b", "`..`"),
            ("a\\\\..\\\\b", "backslash"),
        ] {
            let (_d, p) = zip(&format!(
                "import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],'w')\n\
                 i=zipfile.ZipInfo('ok')\nz.writestr(i,'x')\ni=zipfile.ZipInfo('{name}')\nz.writestr(i,'x')\nz.close()"
            ));
            let e = inspect_path(&p).unwrap_err().to_string();
            assert!(e.contains(why), "{name}: {e}");
        }
        let (_d, p) = zip("import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],'w')\n\
             i=zipfile.ZipInfo('link')\ni.create_system=3\ni.external_attr=(0o120777<<16)\nz.writestr(i,'../../etc')\nz.close()");
        let e = inspect_path(&p).unwrap_err().to_string();
        assert!(e.contains("a link"), "{e}");
        let (_d, p) = zip(
            "import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],'w')\nz.writestr('a','1')\nz.writestr('a','2')\nz.close()",
        );
        assert!(inspect_path(&p).unwrap_err().to_string().contains("twice"));
        let (_d, p) =
            zip("import sys\nopen(sys.argv[1],'wb').write(b'not a zip at all, no, not at all')");
        assert!(
            inspect_path(&p)
                .unwrap_err()
                .to_string()
                .contains("not a zip")
        );
    }
}
