//! `pio identify`: remote through the sshd shim, the Python fallback, roll calls, and the plain
//! error on a machine without a Raspberry Pi GPIO. (The LED pattern's timing is tested on a fake
//! LED in src/transport/gpio.rs.)

use crate::common;

use std::fs;

use common::lab::{Lab, Web};

fn lab(base: u8) -> Lab {
    let lab = Lab::start(
        &["leader1", "pio02", "pio03", "pio04"],
        base,
        &[Web::Down; 4],
    );
    lab.write_config("leader1");
    lab.trust_all();
    lab
}

fn commands(lab: &Lab) -> Vec<(String, String)> {
    lab.ssh_log().into_iter().map(|(_, a, c)| (a, c)).collect()
}

#[test]
fn remote_identify_runs_pio_identify_over_ssh() {
    let lab = lab(10);
    let run = lab.env.run(&["identify", "pio02"]);
    run.ok();
    assert!(
        run.stderr
            .contains("pio02: blinked (pio identify) (via ssh)"),
        "{}",
        run.stderr
    );
    assert_eq!(
        commands(&lab),
        [(lab.units[1].addr.clone(), "pio identify".to_string())]
    );
    lab.env.run(&["identify", "pio03", "--duration", "7"]).ok();
    assert_eq!(commands(&lab)[1].1, "pio identify --duration 7.0");
}

#[test]
fn falls_back_to_pio_blink_where_only_the_python_stack_is() {
    let lab = lab(20);
    fs::write(lab.unit_dir(2).join("no-pio"), "").unwrap();
    let run = lab.env.run(&["identify", "pio03"]);
    run.ok();
    assert!(
        run.stderr
            .contains("pio03: blinked (pio blink, the Python stack's)"),
        "{}",
        run.stderr
    );
    let cmds: Vec<String> = commands(&lab).into_iter().map(|(_, c)| c).collect();
    // (Its release first: it says whether the Python stack has `pio blink`.)
    assert_eq!(cmds, ["pio identify", "pio version", "pio blink"]);
}

#[test]
fn a_21_5_unit_without_pio_blink_is_said_so_and_not_asked() {
    let lab = lab(25);
    fs::write(lab.unit_dir(2).join("no-pio"), "").unwrap();
    fs::write(lab.unit_dir(2).join("version"), "21.5.0\n").unwrap();
    let run = lab.env.run(&["identify", "pio03"]);
    run.code(1);
    assert!(
        run.stderr.contains("21.5.0 has no LED command"),
        "{}",
        run.stderr
    );
    let cmds: Vec<String> = commands(&lab).into_iter().map(|(_, c)| c).collect();
    assert_eq!(cmds, ["pio identify", "pio version"]);
}

#[test]
fn roll_call_goes_one_by_one_in_order() {
    let lab = lab(30);
    let run = lab
        .env
        .run(&["identify", "--roll-call", "--all", "--pause", "0.3"]);
    run.ok();
    assert_eq!(run.stdout, "leader1\npio02\npio03\npio04\n");
    let log = lab.ssh_log();
    let order: Vec<&str> = log.iter().map(|(_, a, _)| a.as_str()).collect();
    let expected: Vec<&str> = lab.units.iter().map(|u| u.addr.as_str()).collect();
    assert_eq!(order, expected);
    for pair in log.windows(2) {
        let gap_ms = (pair[1].0 - pair[0].0) / 1_000_000;
        assert!(
            gap_ms >= 300,
            "units blinked {gap_ms} ms apart, less than --pause"
        );
    }
    // A subset, in the order given.
    let run = lab
        .env
        .run(&["identify", "--roll-call", "pio04,pio02", "--pause", "0"]);
    assert_eq!(run.ok().stdout, "pio04\npio02\n");
}

#[test]
fn roll_call_needs_units() {
    let lab = lab(40);
    let run = lab.env.run(&["identify", "--roll-call"]);
    run.code(2);
    assert!(lab.ssh_log().is_empty());
    lab.env.run(&["identify", "ghost"]).code(2);
}

#[test]
fn unreachable_unit_fails_with_exit_1() {
    let lab = lab(50);
    lab.env.write_config(
        &lab.env
            .read_config()
            .replace(&lab.units[3].addr, "127.0.9.4"),
    );
    let run = lab.env.run(&["identify", "pio02", "pio04"]);
    run.code(1);
    assert!(
        run.stderr.contains("pio02: blinked") && run.stderr.contains("pio04: FAILED"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("could not blink: pio04"),
        "{}",
        run.stderr
    );
}

#[test]
fn this_unit_without_a_raspberry_pi_gpio() {
    // The machines running these tests are not Raspberry Pis.
    let env = common::Env::new();
    let run = env.run(&["identify"]);
    run.code(1);
    assert!(
        run.stderr.contains(
            "cannot blink this unit's LED (BCM GPIO 23): this machine is not a Raspberry Pi"
        ),
        "{}",
        run.stderr
    );
    env.write_config("[identify]\nled_bcm_pin=forty\n");
    let run = env.run(&["identify"]);
    run.code(2);
    assert!(
        run.stderr
            .contains("config.ini:2: [identify] led_bcm_pin is 'forty'"),
        "{}",
        run.stderr
    );
}

#[test]
fn this_units_pin_is_read_as_its_release_reads_it() {
    // (Not a Raspberry Pi: the blink fails, naming the pin it would have used.)
    let env = common::Env::new();
    env.write_config("[cluster.topology]\nleader_hostname=leader1\n");
    let dot = env.config().parent().unwrap().to_path_buf();
    let hat = dot.join("hardware/hats/1.2");
    std::fs::create_dir_all(&hat).unwrap();
    std::fs::write(hat.join("gpio.yaml"), "pcb_led_pin: 17\nsda_pin: 2\n").unwrap();
    let pin = |release: &str| {
        let site = env.python_site(release);
        let run = env.run_with(
            &["identify"],
            &[("PIO_PYTHON_SITE", &site), ("HARDWARE", "1.2")],
        );
        run.code(1);
        run.stderr
    };
    // 25.11.12 and later read gpio.yaml; 25.9 has BCM 23 in its code.
    assert!(
        pin("26.11.1").contains("(BCM GPIO 17)"),
        "{}",
        pin("26.11.1")
    );
    assert!(
        pin("25.9.18").contains("(BCM GPIO 23)"),
        "{}",
        pin("25.9.18")
    );
    // The model's description overrides the HAT's.
    let model = dot.join("hardware/models/pioreactor_40ml/1.5");
    std::fs::create_dir_all(&model).unwrap();
    std::fs::write(model.join("gpio.yaml"), "pcb_led_pin: 6\n").unwrap();
    assert!(
        pin("26.11.1").contains("(BCM GPIO 6)"),
        "{}",
        pin("26.11.1")
    );
    // A release that names its pin in a description that has none: said, not guessed.
    std::fs::remove_dir_all(dot.join("hardware")).unwrap();
    let said = pin("26.11.1");
    assert!(
        said.contains("cannot find this unit's LED pin: release 26.11.1 names"),
        "{said}"
    );
}

#[test]
fn identify_json_is_one_document_on_stdout() {
    let lab = lab(30);
    for args in [
        &["--json", "identify", "pio02", "pio03"][..],
        &[
            "--json",
            "identify",
            "pio02",
            "pio03",
            "--roll-call",
            "--pause",
            "0.1",
        ],
    ] {
        let run = lab.env.run(args);
        run.ok();
        let v: serde_json::Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", run.stdout));
        assert_eq!(v["command"], "identify");
        assert_eq!(v["failed"], serde_json::json!([]));
        let units: Vec<&str> = v["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["unit"].as_str().unwrap())
            .collect();
        assert_eq!(units, ["pio02", "pio03"], "{args:?}");
    }
}
