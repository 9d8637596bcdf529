
use builtin;
use str;

set edit:completion:arg-completer[pio] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pio'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pio'= {
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand workers 'Manage the workers in the cluster''s inventory'
            cand doctor 'Diagnose the cluster: this unit, then every unit (names, SSH, web API, versions, clocks)'
            cand identify 'Blink a unit''s blue LED, to find it at the bench'
            cand rename 'Rename a worker: its hostname, its config.ini entries, then a reboot'
            cand reboot 'Reboot units (in parallel; the leader last)'
            cand repair 'Repair units'' Pioreactor files and services (Pioreactor 26.5 and later)'
            cand cluster 'The whole cluster at once (`cluster join` and `leave` are the Python CLI''s)'
            cand shutdown 'Shut units down (power off; in parallel, the leader last)'
            cand clock 'Each unit''s clock against the leader''s; --sync brings them to it'
            cand backup 'Save a unit''s ~/.pioreactor (the leader''s database included) to a zip on this machine'
            cand restore 'Replace a unit''s ~/.pioreactor with an archive from `pio backup` or the web UI'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pio;workers'= {
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List every unit in the inventory'
            cand add 'Add a worker to the inventory (or update its address or state)'
            cand replace 'Bring back a worker on a re-flashed SD card: forget its old host key, set it up again, restore its backup'
            cand remove 'Remove workers from the inventory, with their addresses'
            cand set-active 'Make a worker active (1) or inactive (0)'
            cand update-active 'Make a worker active (1) or inactive (0)'
            cand discover 'Find workers on the network by mDNS'
            cand assign 'Assign a worker to an experiment (Pioreactor 24.4 and later)'
            cand unassign 'Unassign a worker from its experiment (Pioreactor 24.4 and later)'
            cand sync-configs 'Copy this leader''s config.ini (and config_<unit>.ini) to units'
            cand status 'Check which units answer, and how'
            cand model 'A worker''s model: where the leader''s database keeps it (26.11 and later: the unit does, and the leader passes a change on to it)'
            cand update-model 'Set a worker''s model (the Python CLI''s spelling before 26.11; `workers model set` since)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pio;workers;list'= {
            cand --via 'How to reach units'
            cand --timeout 'Seconds to wait for each unit'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --active 'Only active workers'
            cand --inactive 'Only inactive workers'
            cand --names 'One name per line (for scripts and completion)'
            cand --releases 'Ask each listed unit its Pioreactor release (its web API, else `pio version` over SSH)'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;workers;add'= {
            cand -a 'Static IPv4 address, written to [cluster.addresses] (bypasses mDNS)'
            cand --address 'Static IPv4 address, written to [cluster.addresses] (bypasses mDNS)'
            cand -m 'The worker''s model, e.g. pioreactor_40ml (the leader''s database keeps it; from 26.11 the worker too, told at its join)'
            cand --model-name 'The worker''s model, e.g. pioreactor_40ml (the leader''s database keeps it; from 26.11 the worker too, told at its join)'
            cand --model-version 'The model''s version, e.g. 1.5'
            cand --timeout 'Seconds to wait for the worker to appear on the network'
            cand -p 'The worker''s SSH password (first contact only). Other users see it in `ps`, and it stays in shell history: prefer --password-stdin'
            cand --password 'The worker''s SSH password (first contact only). Other users see it in `ps`, and it stays in shell history: prefer --password-stdin'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --inactive 'Add the worker as inactive (or make one already there inactive)'
            cand --active 'Make a worker already there active (re-adding otherwise keeps its state)'
            cand --no-reboot 'Do not reboot the worker at the end'
            cand --offline 'Only edit config.ini; do not contact the worker'
            cand --password-stdin 'Read the worker''s SSH password from stdin (first contact only)'
            cand --dry-run 'Show the change to config.ini as a diff and write nothing'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;workers;replace'= {
            cand --timeout 'Seconds to wait for the worker to appear on the network'
            cand -p 'The worker''s SSH password (first contact only). Other users see it in `ps`, and it stays in shell history: prefer --password-stdin'
            cand --password 'The worker''s SSH password (first contact only). Other users see it in `ps`, and it stays in shell history: prefer --password-stdin'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --password-stdin 'Read the worker''s SSH password from stdin (first contact only)'
            cand --dry-run 'Check the archive and say what would be done, doing nothing'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;workers;remove'= {
            cand --via 'How to reach units'
            cand --timeout 'Seconds to wait for each unit'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --keep-running 'Do not halt the workers'' jobs'
            cand --offline 'Only change the inventory; do not contact the workers (no halting, no copy of config.ini)'
            cand --dry-run 'Show the change to config.ini as a diff and write nothing'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;workers;set-active'= {
            cand --via 'How to reach units'
            cand --timeout 'Seconds to wait for each unit'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --offline 'Only change the inventory; do not contact the worker (no copy of config.ini, no halting)'
            cand --dry-run 'Show the change to config.ini as a diff and write nothing'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;workers;update-active'= {
            cand --via 'How to reach units'
            cand --timeout 'Seconds to wait for each unit'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --offline 'Only change the inventory; do not contact the worker (no copy of config.ini, no halting)'
            cand --dry-run 'Show the change to config.ini as a diff and write nothing'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;workers;discover'= {
            cand --timeout 'Seconds to listen'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --new 'Only workers not in the inventory'
            cand -t 'The Python CLI''s "end after the list": pio always does, after --timeout'
            cand --terminate 'The Python CLI''s "end after the list": pio always does, after --timeout'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;workers;assign'= {
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;workers;unassign'= {
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;workers;sync-configs'= {
            cand --units 'A unit, as the Python `pios` names one (repeatable; the same as naming it)'
            cand --experiment 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --experiments 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --fanout 'How many units at once'
            cand --via 'How to reach units'
            cand --timeout 'Seconds to wait for each unit'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --all 'Every worker in the inventory (the leader only if named)'
            cand --shared 'Only config.ini, the cluster''s shared settings'
            cand --specific 'Only each unit''s own settings: sent from config_<unit>.ini to units before 26.4, fetched from 26.4 units (which own their unit_config.ini) into config_<unit>.ini'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;workers;status'= {
            cand --experiment 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --experiments 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --fanout 'How many units at once'
            cand --via 'How to reach units'
            cand --timeout 'Seconds to wait for each unit'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;workers;model'= {
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand get 'Print a worker''s model as JSON ({"model_name", "model_version"}), as the Python CLI does'
            cand set 'Set a worker''s model'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pio;workers;model;get'= {
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;workers;model;set'= {
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;workers;model;help'= {
            cand get 'Print a worker''s model as JSON ({"model_name", "model_version"}), as the Python CLI does'
            cand set 'Set a worker''s model'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pio;workers;model;help;get'= {
        }
        &'pio;workers;model;help;set'= {
        }
        &'pio;workers;model;help;help'= {
        }
        &'pio;workers;update-model'= {
            cand -m 'The model, e.g. pioreactor_40ml'
            cand --model-name 'The model, e.g. pioreactor_40ml'
            cand --model-version 'The model''s version, e.g. 1.5 (the Python CLI''s `-v VERSION` is read as this)'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;workers;help'= {
            cand list 'List every unit in the inventory'
            cand add 'Add a worker to the inventory (or update its address or state)'
            cand replace 'Bring back a worker on a re-flashed SD card: forget its old host key, set it up again, restore its backup'
            cand remove 'Remove workers from the inventory, with their addresses'
            cand set-active 'Make a worker active (1) or inactive (0)'
            cand discover 'Find workers on the network by mDNS'
            cand assign 'Assign a worker to an experiment (Pioreactor 24.4 and later)'
            cand unassign 'Unassign a worker from its experiment (Pioreactor 24.4 and later)'
            cand sync-configs 'Copy this leader''s config.ini (and config_<unit>.ini) to units'
            cand status 'Check which units answer, and how'
            cand model 'A worker''s model: where the leader''s database keeps it (26.11 and later: the unit does, and the leader passes a change on to it)'
            cand update-model 'Set a worker''s model (the Python CLI''s spelling before 26.11; `workers model set` since)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pio;workers;help;list'= {
        }
        &'pio;workers;help;add'= {
        }
        &'pio;workers;help;replace'= {
        }
        &'pio;workers;help;remove'= {
        }
        &'pio;workers;help;set-active'= {
        }
        &'pio;workers;help;discover'= {
        }
        &'pio;workers;help;assign'= {
        }
        &'pio;workers;help;unassign'= {
        }
        &'pio;workers;help;sync-configs'= {
        }
        &'pio;workers;help;status'= {
        }
        &'pio;workers;help;model'= {
            cand get 'Print a worker''s model as JSON ({"model_name", "model_version"}), as the Python CLI does'
            cand set 'Set a worker''s model'
        }
        &'pio;workers;help;model;get'= {
        }
        &'pio;workers;help;model;set'= {
        }
        &'pio;workers;help;update-model'= {
        }
        &'pio;workers;help;help'= {
        }
        &'pio;doctor'= {
            cand --experiment 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --experiments 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --fanout 'How many units at once'
            cand --timeout 'Seconds each unit may take per check'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --strict 'Exit 1 on warnings too'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;identify'= {
            cand --units 'A unit, as the Python `pios` names one (repeatable; the same as naming it)'
            cand --experiment 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --experiments 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --duration 'Keep blinking about this long (whole rounds of about 3.5 s)'
            cand --pause 'Seconds between units in a roll call'
            cand --fanout 'How many units at once (without --roll-call)'
            cand --timeout 'Seconds to wait for each unit to answer'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --all 'Every worker in the inventory (the leader only if named)'
            cand --roll-call 'Blink the units one after another, printing each name while its LED blinks'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;rename'= {
            cand --timeout 'Seconds the whole rename may take, the wait for it to come back under the new name included'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --no-wait 'Do not wait for the worker to come back'
            cand --dry-run 'Show the plan and do nothing'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;reboot'= {
            cand --units 'A unit, as the Python `pios` names one (repeatable; the same as naming it)'
            cand --experiment 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --experiments 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --fanout 'How many units at once'
            cand --via 'How to reach units'
            cand --timeout 'Seconds to wait for each unit to answer (default 10, at most 60), or with --wait for each to come back (default 180)'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --all 'Every worker in the inventory (the leader only if named)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --wait 'Wait until each unit has restarted and answers again (the leader excepted)'
            cand --dry-run 'Show the plan and do nothing'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;repair'= {
            cand --units 'A unit, as the Python `pios` names one (repeatable; the same as naming it)'
            cand --experiment 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --experiments 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --fanout 'How many units at once'
            cand --via 'How to reach units'
            cand --timeout 'Seconds to wait for each unit'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --all 'Every worker in the inventory (the leader only if named)'
            cand --dry-run 'Say how each unit would be repaired, and do nothing'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;cluster'= {
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand update 'Update the Pioreactor software of every unit: the workers first, then the leader'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pio;cluster;update'= {
            cand --version 'The release to install (default: the Python CLI''s, the latest)'
            cand --fanout 'How many workers at once'
            cand --timeout 'Seconds each unit may take to update and answer with its new release'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --dry-run 'Show the order and do nothing'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'pio;cluster;help'= {
            cand update 'Update the Pioreactor software of every unit: the workers first, then the leader'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pio;cluster;help;update'= {
        }
        &'pio;cluster;help;help'= {
        }
        &'pio;shutdown'= {
            cand --units 'A unit, as the Python `pios` names one (repeatable; the same as naming it)'
            cand --experiment 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --experiments 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --fanout 'How many units at once'
            cand --via 'How to reach units'
            cand --timeout 'Seconds to wait for each unit to answer'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --all 'Every worker in the inventory (the leader only if named)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --dry-run 'Show the plan and do nothing'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;clock'= {
            cand --units 'A unit, as the Python `pios` names one (repeatable; the same as naming it)'
            cand --experiment 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --experiments 'The active workers assigned to this experiment in the leader''s database (repeatable)'
            cand --tolerance 'Seconds a unit''s clock may be off the leader''s before it is flagged (exit code 1)'
            cand --fanout 'How many units at once'
            cand --via 'How to reach units'
            cand --timeout 'Seconds to wait for each unit'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --all 'Every worker in the inventory (the leader only if named)'
            cand --sync 'Bring every unit beyond the tolerance to the leader''s time, then read it again'
            cand --dry-run 'Read the clocks, and with --sync say what it would do, changing nothing'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;backup'= {
            cand -o 'The file to write (default: <unit>-<UTC time>.zip here); never replaced if it exists'
            cand --output 'The file to write (default: <unit>-<UTC time>.zip here); never replaced if it exists'
            cand --via 'How to reach the unit'
            cand --timeout 'Seconds the whole backup may take'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --dry-run 'Show the plan and do nothing'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;restore'= {
            cand --via 'How to reach the unit'
            cand --timeout 'Seconds the whole restore may take'
            cand --config 'Use this config.ini instead of looking it up'
            cand --color 'When to use colour'
            cand --inventory 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`'
            cand --other-unit 'Restore an archive of another unit, or one that names no unit'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --no-reboot 'Do not reboot the unit afterwards (over SSH; the web API''s import reboots it anyway)'
            cand --dry-run 'Check the archive, show the plan and do nothing'
            cand --json 'Print machine-readable JSON on stdout (a stable schema)'
            cand -q 'Say nothing on stderr except errors'
            cand --quiet 'Say nothing on stderr except errors'
            cand -v 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand --verbose 'Say more on stderr (which config.ini, which inventory and why, what is done)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pio;help'= {
            cand workers 'Manage the workers in the cluster''s inventory'
            cand doctor 'Diagnose the cluster: this unit, then every unit (names, SSH, web API, versions, clocks)'
            cand identify 'Blink a unit''s blue LED, to find it at the bench'
            cand rename 'Rename a worker: its hostname, its config.ini entries, then a reboot'
            cand reboot 'Reboot units (in parallel; the leader last)'
            cand repair 'Repair units'' Pioreactor files and services (Pioreactor 26.5 and later)'
            cand cluster 'The whole cluster at once (`cluster join` and `leave` are the Python CLI''s)'
            cand shutdown 'Shut units down (power off; in parallel, the leader last)'
            cand clock 'Each unit''s clock against the leader''s; --sync brings them to it'
            cand backup 'Save a unit''s ~/.pioreactor (the leader''s database included) to a zip on this machine'
            cand restore 'Replace a unit''s ~/.pioreactor with an archive from `pio backup` or the web UI'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pio;help;workers'= {
            cand list 'List every unit in the inventory'
            cand add 'Add a worker to the inventory (or update its address or state)'
            cand replace 'Bring back a worker on a re-flashed SD card: forget its old host key, set it up again, restore its backup'
            cand remove 'Remove workers from the inventory, with their addresses'
            cand set-active 'Make a worker active (1) or inactive (0)'
            cand discover 'Find workers on the network by mDNS'
            cand assign 'Assign a worker to an experiment (Pioreactor 24.4 and later)'
            cand unassign 'Unassign a worker from its experiment (Pioreactor 24.4 and later)'
            cand sync-configs 'Copy this leader''s config.ini (and config_<unit>.ini) to units'
            cand status 'Check which units answer, and how'
            cand model 'A worker''s model: where the leader''s database keeps it (26.11 and later: the unit does, and the leader passes a change on to it)'
            cand update-model 'Set a worker''s model (the Python CLI''s spelling before 26.11; `workers model set` since)'
        }
        &'pio;help;workers;list'= {
        }
        &'pio;help;workers;add'= {
        }
        &'pio;help;workers;replace'= {
        }
        &'pio;help;workers;remove'= {
        }
        &'pio;help;workers;set-active'= {
        }
        &'pio;help;workers;discover'= {
        }
        &'pio;help;workers;assign'= {
        }
        &'pio;help;workers;unassign'= {
        }
        &'pio;help;workers;sync-configs'= {
        }
        &'pio;help;workers;status'= {
        }
        &'pio;help;workers;model'= {
            cand get 'Print a worker''s model as JSON ({"model_name", "model_version"}), as the Python CLI does'
            cand set 'Set a worker''s model'
        }
        &'pio;help;workers;model;get'= {
        }
        &'pio;help;workers;model;set'= {
        }
        &'pio;help;workers;update-model'= {
        }
        &'pio;help;doctor'= {
        }
        &'pio;help;identify'= {
        }
        &'pio;help;rename'= {
        }
        &'pio;help;reboot'= {
        }
        &'pio;help;repair'= {
        }
        &'pio;help;cluster'= {
            cand update 'Update the Pioreactor software of every unit: the workers first, then the leader'
        }
        &'pio;help;cluster;update'= {
        }
        &'pio;help;shutdown'= {
        }
        &'pio;help;clock'= {
        }
        &'pio;help;backup'= {
        }
        &'pio;help;restore'= {
        }
        &'pio;help;help'= {
        }
    ]
    $completions[$command]
}
