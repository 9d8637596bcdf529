//! A differential fuzzer of pio's config.ini edits, with Python's configparser as the oracle.
//!
//! Each case is a generated config.ini that both Python readers of the Pioreactor stack accept
//! (other sections, comments of every kind, continuation values holding fake headers and keys,
//! every delimiter spelling, mixed-case and Unicode keys, LF/CRLF/CR/mixed line endings, no final
//! newline, indented headers and keys, Unicode and control white space, decoy sections, legacy
//! `[network.*]`), then a random sequence of `workers add --offline [-a]`, `remove --offline` and
//! `set-active --offline`. pio's edits are made exactly as the commands make them
//! ([`Config::from_text`], [`Config::cluster`], the `plan` functions, [`Config::apply`], render;
//! one read per command, as each command is its own process), and `tests/support/ini_oracle.py`
//! (one python3 process for all cases) says whether Python reads each result as the command means
//! and whether every untouched line is still there byte for byte. A few cases also go through the
//! binary, which must write exactly what the library wrote.
//!
//! - `PIO_FUZZ_CASES=N` (default 2000) sets the budget; `PIO_FUZZ_BASE=N` the first case's seed.
//! - A failure prints the case's seed and a shrunk reproduction; `PIO_FUZZ_SEED=S` replays one case.
//! - The soak: `PIO_FUZZ_CASES=100000 cargo test --test ini_fuzz -- --nocapture`.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

use common::Env;
use pio::cluster::{UnitName, parse_address, plan};
use pio::config::Config;
use serde_json::{Value, json};

const HOST: &str = common::HOSTNAME;

/// splitmix64 seeds an xorshift64 generator: nearby seeds give unrelated cases.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

#[derive(Clone, Debug)]
enum Op {
    Add {
        name: String,
        active: bool,
        ip: Option<String>,
    },
    Remove {
        name: String,
    },
    SetActive {
        name: String,
        active: bool,
    },
}

impl Op {
    fn args(&self) -> Vec<String> {
        let v = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        match self {
            Op::Add { name, active, ip } => {
                let mut a = v(&["workers", "add", name, "--offline"]);
                if !active {
                    a.push("--inactive".into());
                }
                if let Some(ip) = ip {
                    a.extend(v(&["-a", ip]));
                }
                a
            }
            Op::Remove { name } => v(&["workers", "remove", name, "--offline"]),
            Op::SetActive { name, active } => v(&[
                "workers",
                "set-active",
                name,
                if *active { "1" } else { "0" },
                "--offline",
            ]),
        }
    }

    fn json(&self) -> Value {
        match self {
            Op::Add { name, active, ip } => {
                json!({"op": "add", "name": name, "active": active, "ip": ip})
            }
            Op::Remove { name } => json!({"op": "remove", "name": name}),
            Op::SetActive { name, active } => {
                json!({"op": "set_active", "name": name, "active": active})
            }
        }
    }
}

#[derive(Clone, Debug)]
struct Case {
    /// Lines with their endings (the last may have none).
    lines: Vec<String>,
    ops: Vec<Op>,
}

impl Case {
    fn text(&self) -> String {
        self.lines.concat()
    }

    fn describe(&self) -> String {
        let mut s = format!("config.ini: {:?}\ncommands:\n", self.text());
        for op in &self.ops {
            s.push_str(&format!("  pio {}\n", op.args().join(" ")));
        }
        s
    }
}

// ---------------------------------------------------------------------------------------------
// Generation

/// Single characters Python's str.isspace accepts, none of them a line break for a file's lines.
const SPACES: &[&str] = &[
    " ", " ", " ", " ", "\t", "\u{a0}", "\x1e", "\x1c", "\x1f", "\u{3000}", "\x0b", "\x0c",
    "\u{2028}", "\u{2029}", "\u{85}", "\u{2003}",
];
const DELIMITERS: &[&str] = &[
    "=",
    "=",
    " = ",
    ": ",
    ":",
    " :",
    "\t=\t",
    " =  ",
    "\u{3000}=\u{a0}",
    "\x1e:",
];
/// Inventory keys as files spell them (all distinct for Python's str.lower), and names commands use.
/// Each is a hostname once Python lower-cases it: pio refuses any other (tests/bad_input.rs,
/// tests/hostile_peers.rs).
const WORKER_KEYS: &[&str] = &[
    "pio01",
    "PIO02",
    "Pio03",
    "\u{212a}io",
    "w1",
    "leader1",
    "testing-unit",
    "x-1",
    "UNIT-9",
];
const NAMES: &[&str] = &[
    "pio01", "pio02", "pio03", "kio", "w1", "new1", "leader1", "pio04",
];
const OTHER_KEYS: &[&str] = &[
    "foo",
    "Bar",
    "x-1",
    "\u{fc}n\u{ef}",
    "k\u{a0}k",
    "key with spaces",
    "pio01",
    "PIO02",
    "\u{212a}elvin",
    "stra\u{df}e",
    "A\u{3a3}",
    "dc_offset",
];
const VALUES: &[&str] = &[
    "1",
    "0.5",
    "a=b",
    "x: y",
    "1 ; not a comment",
    "# kept",
    "100%%",
    "[cluster.inventory]",
    "\u{2191} up",
    "",
    "v \x1e w",
];
const BOOLS: &[&str] = &[
    "1", "0", "yes", "no", "true", "false", "on", "off", "YES", "Off",
];
const ADDRESSES: &[&str] = &["10.0.0.2", "10.0.0.3", "192.168.1.40", "pio02.local"];
const CONTINUATIONS: &[&str] = &[
    "[cluster.inventory]",
    "[cluster.addresses]",
    "pio01 = 1",
    "w1: 0",
    "more text",
    "; looks like a comment",
    "[network.inventory]",
];
const COMMENTS: &[&str] = &[
    "# a note",
    "; a note",
    "#pio01=1",
    ";[cluster.inventory]",
    "# \u{2191} arrows \u{2028} and separators",
    "#",
    "; w1 = 0",
];

struct Gen<'a> {
    rng: &'a mut Rng,
    lines: Vec<String>,
    style: usize,
}

impl Gen<'_> {
    fn ending(&mut self) -> &'static str {
        match self.style {
            0 => "\n",
            1 => "\r\n",
            2 => "\r",
            _ => self.rng.pick(&["\n", "\r\n", "\r"]),
        }
    }

    fn ws(&mut self, width: usize) -> String {
        // Mostly plain spaces, so that plain files are common too.
        (0..width)
            .map(|_| {
                if self.rng.chance(60) {
                    " "
                } else {
                    self.rng.pick(SPACES)
                }
            })
            .collect()
    }

    fn line(&mut self, content: String) {
        let ending = self.ending();
        self.lines.push(content + ending);
    }

    /// Blank and comment lines, which may go anywhere at any indentation.
    fn filler(&mut self) {
        for _ in 0..self.rng.below(3) {
            if self.rng.chance(50) {
                let width = self.rng.below(3);
                let ws = self.ws(width);
                self.line(ws);
            } else {
                let width = self.rng.below(4);
                let c = format!("{}{}", self.ws(width), self.rng.pick(COMMENTS));
                self.line(c);
            }
        }
    }

    /// An indentation of at most `limit` characters (any, when there is no limit).
    fn indent(&mut self, limit: Option<usize>) -> String {
        let width = match limit {
            Some(l) => self.rng.below(l + 1),
            None if self.rng.chance(60) => 0,
            None => 1 + self.rng.below(3),
        };
        self.ws(width)
    }
}

fn generate(seed: u64) -> Case {
    let mut rng = Rng::new(seed);
    let style = rng.below(5);
    let mut g = Gen {
        rng: &mut rng,
        lines: Vec::new(),
        style: if style == 4 { 3 } else { style },
    };
    let mut sections: Vec<&str> = Vec::new();
    for (name, percent) in [
        ("cluster.inventory", 80),
        ("cluster.addresses", 60),
        ("cluster.topology", 50),
        ("network.inventory", 15),
        ("network.topology", 10),
        ("Cluster.Inventory", 15),
        (" cluster.inventory ", 15),
        ("cluster.addresses ", 10),
        ("PWM", 30),
        ("ui", 20),
        ("stirring.config", 20),
        ("\u{dc}n\u{ef}c\u{f6}d\u{e9}", 15),
        ("a]b", 10),
    ] {
        if g.rng.chance(percent) {
            sections.push(name);
        }
    }
    for i in (1..sections.len()).rev() {
        let j = g.rng.below(i + 1);
        sections.swap(i, j);
    }
    g.filler();
    // The indentation of the last key line since the last header: a header or key indented
    // deeper would be read as part of that key's value.
    let mut level: Option<usize> = None;
    for section in sections {
        let indent = g.indent(level);
        let trailer = if g.rng.chance(15) {
            " ; header note"
        } else {
            ""
        };
        g.line(format!("{indent}[{section}]{trailer}"));
        level = None;
        let inventory = section.ends_with(".inventory") && !section.starts_with(' ');
        let addresses = section == "cluster.addresses";
        let topology = section.ends_with(".topology");
        let mut keys: Vec<&str> = if topology {
            vec!["leader_hostname", "leader_address"]
        } else if inventory || addresses || section.starts_with("Cluster") {
            WORKER_KEYS.to_vec()
        } else {
            OTHER_KEYS.to_vec()
        };
        let count = g.rng.below(keys.len().min(5) + 1);
        for _ in 0..count {
            g.filler();
            let key = keys.remove(g.rng.below(keys.len()));
            let width = match level {
                Some(l) => g.rng.below(l + 1),
                None if g.rng.chance(70) => 0,
                None => 1 + g.rng.below(3),
            };
            level = Some(width);
            let lead = g.ws(width);
            let value = match key {
                "leader_hostname" => g.rng.pick(&[HOST, "pio01", ""]),
                "leader_address" => g.rng.pick(&["10.0.0.1", "leader1.local"]),
                _ if inventory => g.rng.pick(BOOLS),
                _ if addresses => g.rng.pick(ADDRESSES),
                _ => g.rng.pick(VALUES),
            };
            let cluster = inventory || addresses || topology;
            if !cluster && g.rng.chance(10) {
                g.line(format!("{lead}{key}"));
                continue;
            }
            let delimiter = g.rng.pick(DELIMITERS);
            let tail = if g.rng.chance(15) {
                g.rng.pick(&[" ", "\t", "\u{a0}", "\x1f"])
            } else {
                ""
            };
            g.line(format!("{lead}{key}{delimiter}{value}{tail}"));
            if !cluster && g.rng.chance(30) {
                for _ in 0..1 + g.rng.below(3) {
                    if g.rng.chance(30) {
                        g.filler();
                    }
                    let deeper = width + 1 + g.rng.below(3);
                    let ws = g.ws(deeper);
                    let text = g.rng.pick(CONTINUATIONS);
                    g.line(format!("{ws}{text}"));
                }
            }
        }
        g.filler();
    }
    let mut lines = g.lines;
    if rng.chance(25)
        && let Some(last) = lines.last_mut()
    {
        let trimmed = last.trim_end_matches(['\r', '\n']).len();
        last.truncate(trimmed);
    }
    let mut ops = Vec::new();
    for _ in 0..1 + rng.below(6) {
        let name = rng.pick(NAMES).to_string();
        let active = rng.chance(60);
        ops.push(match rng.below(3) {
            0 => Op::Add {
                name,
                active,
                ip: rng
                    .chance(40)
                    .then(|| rng.pick(&ADDRESSES[..3]).to_string()),
            },
            1 => Op::Remove {
                name: if rng.chance(15) {
                    name.to_uppercase()
                } else {
                    name
                },
            },
            _ => Op::SetActive {
                name: if rng.chance(15) {
                    name.to_uppercase()
                } else {
                    name
                },
                active,
            },
        });
    }
    Case { lines, ops }
}

// ---------------------------------------------------------------------------------------------
// pio's side: what the commands do, through the library

/// One command's edit of `text`, as `edit_config` makes it: read, plan from the cluster, apply.
fn pio_edit(text: &str, op: &Op) -> Result<String, String> {
    let config = Config::from_text(Path::new("config.ini"), text.to_string(), true)
        .map_err(|e| e.message)?;
    let changes = {
        let cluster = config.cluster(HOST).map_err(|e| e.message)?;
        match op {
            Op::Add { name, active, ip } => {
                let name = UnitName::parse(name).map_err(|e| e.to_string())?;
                let ip = ip.as_deref().map(|a| parse_address(a).unwrap());
                plan::add(&cluster, &name, ip, Some(*active))
            }
            Op::Remove { name } => {
                plan::remove(&cluster, std::slice::from_ref(name)).map_err(|e| format!("{e:?}"))?
            }
            Op::SetActive { name, active } => {
                plan::set_active(&cluster, name, *active).map_err(|e| format!("{e:?}"))?
            }
        }
    };
    let mut config = config;
    config.apply(&changes);
    Ok(config.render().to_string())
}

/// Every command of the case in turn (a refused one leaves the text as it was).
fn run_pio(case: &Case) -> Vec<Result<String, String>> {
    let mut text = case.text();
    let mut results = Vec::new();
    for op in &case.ops {
        let result = std::panic::catch_unwind(|| pio_edit(&text, op))
            .unwrap_or_else(|p| Err(format!("panic: {}", panic_message(&p))));
        if let Ok(t) = &result {
            text = t.clone();
        }
        results.push(result);
    }
    results
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Python's side

struct Oracle {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

enum Verdict {
    /// A reader refuses the generated text: not a config.ini the stack could use.
    Invalid,
    Pass,
    Fail(String),
}

impl Oracle {
    fn start() -> Oracle {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/ini_oracle.py");
        let mut child = Command::new("python3")
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Oracle {
            child,
            stdin,
            stdout,
        }
    }

    fn judge(&mut self, case: &Case, results: &[Result<String, String>]) -> Verdict {
        let results: Vec<Value> = results
            .iter()
            .map(|r| match r {
                Ok(t) => json!({ "ok": t }),
                Err(e) => json!({ "err": e }),
            })
            .collect();
        let ops: Vec<Value> = case.ops.iter().map(Op::json).collect();
        let request = json!({"text": case.text(), "host": HOST, "ops": ops, "results": results});
        writeln!(self.stdin, "{request}").unwrap();
        self.stdin.flush().unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        let answer: Value = serde_json::from_str(&line).expect("the oracle answers JSON");
        if answer["valid"] == false {
            return Verdict::Invalid;
        }
        match answer["fail"].as_str() {
            None => Verdict::Pass,
            Some(why) => Verdict::Fail(format!(
                "after command {}: {why}",
                answer["op"].as_u64().map_or(0, |i| i + 1)
            )),
        }
    }

    fn check(&mut self, case: &Case) -> Verdict {
        let results = run_pio(case);
        self.judge(case, &results)
    }
}

impl Drop for Oracle {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The smallest case (fewer commands, fewer lines) that still fails.
fn shrink(oracle: &mut Oracle, case: &Case) -> Case {
    let mut best = case.clone();
    let mut fails = |c: &Case| matches!(oracle.check(c), Verdict::Fail(_));
    let mut budget = 3000;
    let mut progress = true;
    while progress && budget > 0 {
        progress = false;
        for i in (0..best.ops.len()).rev() {
            let mut c = best.clone();
            c.ops.remove(i);
            budget -= 1;
            if !c.ops.is_empty() && fails(&c) {
                best = c;
                progress = true;
            }
        }
        let mut chunk = best.lines.len().div_ceil(2).max(1);
        loop {
            let mut start = 0;
            while start < best.lines.len() && budget > 0 {
                let mut c = best.clone();
                c.lines.drain(start..(start + chunk).min(c.lines.len()));
                budget -= 1;
                if fails(&c) {
                    best = c;
                    progress = true;
                } else {
                    start += chunk;
                }
            }
            if chunk == 1 {
                break;
            }
            chunk /= 2;
        }
    }
    best
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a number"))
    })
}

/// The binary makes exactly the library's edits, and refuses what the library refuses (exit 2).
fn check_binary(case: &Case) {
    let env = Env::new();
    let path = env.write_config(&case.text());
    let mut text = case.text();
    for (op, want) in case.ops.iter().zip(run_pio(case)) {
        let args = op.args();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = env.run_with(&args, &[("PIO_INVENTORY", "config")]);
        let got = std::fs::read_to_string(&path).unwrap();
        match want {
            Ok(t) => {
                assert_eq!(
                    run.code,
                    0,
                    "pio {} failed: {}\n{}",
                    args.join(" "),
                    run.stderr,
                    case.describe()
                );
                assert_eq!(got, t, "binary and library differ\n{}", case.describe());
                text = t;
            }
            Err(e) => {
                assert_eq!(
                    run.code,
                    2,
                    "pio {}: library said {e}; binary: {}\n{}",
                    args.join(" "),
                    run.stderr,
                    case.describe()
                );
                assert_eq!(got, text, "a refused command changed the file");
            }
        }
    }
}

#[test]
fn pio_edits_read_in_python_as_meant() {
    let mut oracle = Oracle::start();
    let started = Instant::now();
    if let Some(seed) = env_u64("PIO_FUZZ_SEED") {
        let case = generate(seed);
        eprintln!("seed {seed}\n{}", case.describe());
        match oracle.check(&case) {
            Verdict::Invalid => eprintln!("Python refuses this generated file: not a test case"),
            Verdict::Pass => {
                check_binary(&case);
                eprintln!("passes (library and binary)");
            }
            Verdict::Fail(why) => {
                let small = shrink(&mut oracle, &case);
                panic!("seed {seed} fails: {why}\nshrunk:\n{}", small.describe());
            }
        }
        return;
    }
    let cases = env_u64("PIO_FUZZ_CASES").unwrap_or(2000);
    let base = env_u64("PIO_FUZZ_BASE").unwrap_or(0x1711);
    let (mut passed, mut invalid) = (0u64, 0u64);
    let mut binary = 0;
    for seed in base..base + cases {
        let case = generate(seed);
        match oracle.check(&case) {
            Verdict::Invalid => invalid += 1,
            Verdict::Pass => {
                passed += 1;
                // A few through the binary too (each command is a process: slower).
                if binary < 12 && seed % 50 == 0 {
                    check_binary(&case);
                    binary += 1;
                }
            }
            Verdict::Fail(why) => {
                let hook = std::panic::take_hook();
                std::panic::set_hook(Box::new(|_| {}));
                let small = shrink(&mut oracle, &case);
                std::panic::set_hook(hook);
                let why = match oracle.check(&small) {
                    Verdict::Fail(w) => w,
                    _ => why,
                };
                panic!(
                    "seed {seed} fails (replay: PIO_FUZZ_SEED={seed} cargo test --test ini_fuzz)\n\
                     {why}\nshrunk:\n{}",
                    small.describe()
                );
            }
        }
    }
    eprintln!(
        "{passed} cases passed ({binary} also through the binary), {invalid} generated files \
         Python refuses skipped, seeds {base}..{}, {:.1?}",
        base + cases,
        started.elapsed()
    );
    // The generator must make files Python accepts, or the fuzzer tests nothing.
    assert!(
        invalid * 10 < cases,
        "{invalid} of {cases} generated files are invalid"
    );
}
