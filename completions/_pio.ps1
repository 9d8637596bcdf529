
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pio' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pio'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'pio' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('workers', 'workers', [CompletionResultType]::ParameterValue, 'Manage the workers in the cluster''s inventory')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Diagnose the cluster: this unit, then every unit (names, SSH, web API, versions, clocks)')
            [CompletionResult]::new('identify', 'identify', [CompletionResultType]::ParameterValue, 'Blink a unit''s blue LED, to find it at the bench')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a worker: its hostname, its config.ini entries, then a reboot')
            [CompletionResult]::new('reboot', 'reboot', [CompletionResultType]::ParameterValue, 'Reboot units (in parallel; the leader last)')
            [CompletionResult]::new('repair', 'repair', [CompletionResultType]::ParameterValue, 'Repair units'' Pioreactor files and services (Pioreactor 26.5 and later)')
            [CompletionResult]::new('cluster', 'cluster', [CompletionResultType]::ParameterValue, 'The whole cluster at once (`cluster join` and `leave` are the Python CLI''s)')
            [CompletionResult]::new('shutdown', 'shutdown', [CompletionResultType]::ParameterValue, 'Shut units down (power off; in parallel, the leader last)')
            [CompletionResult]::new('clock', 'clock', [CompletionResultType]::ParameterValue, 'Each unit''s clock against the leader''s; --sync brings them to it')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Save a unit''s ~/.pioreactor (the leader''s database included) to a zip on this machine')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Replace a unit''s ~/.pioreactor with an archive from `pio backup` or the web UI')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pio;workers' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every unit in the inventory')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a worker to the inventory (or update its address or state)')
            [CompletionResult]::new('replace', 'replace', [CompletionResultType]::ParameterValue, 'Bring back a worker on a re-flashed SD card: forget its old host key, set it up again, restore its backup')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove workers from the inventory, with their addresses')
            [CompletionResult]::new('set-active', 'set-active', [CompletionResultType]::ParameterValue, 'Make a worker active (1) or inactive (0)')
            [CompletionResult]::new('update-active', 'update-active', [CompletionResultType]::ParameterValue, 'Make a worker active (1) or inactive (0)')
            [CompletionResult]::new('discover', 'discover', [CompletionResultType]::ParameterValue, 'Find workers on the network by mDNS')
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Assign a worker to an experiment (Pioreactor 24.4 and later)')
            [CompletionResult]::new('unassign', 'unassign', [CompletionResultType]::ParameterValue, 'Unassign a worker from its experiment (Pioreactor 24.4 and later)')
            [CompletionResult]::new('sync-configs', 'sync-configs', [CompletionResultType]::ParameterValue, 'Copy this leader''s config.ini (and config_<unit>.ini) to units')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Check which units answer, and how')
            [CompletionResult]::new('model', 'model', [CompletionResultType]::ParameterValue, 'A worker''s model: where the leader''s database keeps it (26.11 and later: the unit does, and the leader passes a change on to it)')
            [CompletionResult]::new('update-model', 'update-model', [CompletionResultType]::ParameterValue, 'Set a worker''s model (the Python CLI''s spelling before 26.11; `workers model set` since)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pio;workers;list' {
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'How to reach units')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each unit')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--active', '--active', [CompletionResultType]::ParameterName, 'Only active workers')
            [CompletionResult]::new('--inactive', '--inactive', [CompletionResultType]::ParameterName, 'Only inactive workers')
            [CompletionResult]::new('--names', '--names', [CompletionResultType]::ParameterName, 'One name per line (for scripts and completion)')
            [CompletionResult]::new('--releases', '--releases', [CompletionResultType]::ParameterName, 'Ask each listed unit its Pioreactor release (its web API, else `pio version` over SSH)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;workers;add' {
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Static IPv4 address, written to [cluster.addresses] (bypasses mDNS)')
            [CompletionResult]::new('--address', '--address', [CompletionResultType]::ParameterName, 'Static IPv4 address, written to [cluster.addresses] (bypasses mDNS)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The worker''s model, e.g. pioreactor_40ml (the leader''s database keeps it; from 26.11 the worker too, told at its join)')
            [CompletionResult]::new('--model-name', '--model-name', [CompletionResultType]::ParameterName, 'The worker''s model, e.g. pioreactor_40ml (the leader''s database keeps it; from 26.11 the worker too, told at its join)')
            [CompletionResult]::new('--model-version', '--model-version', [CompletionResultType]::ParameterName, 'The model''s version, e.g. 1.5')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the worker to appear on the network')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The worker''s SSH password (first contact only). Other users see it in `ps`, and it stays in shell history: prefer --password-stdin')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The worker''s SSH password (first contact only). Other users see it in `ps`, and it stays in shell history: prefer --password-stdin')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--inactive', '--inactive', [CompletionResultType]::ParameterName, 'Add the worker as inactive (or make one already there inactive)')
            [CompletionResult]::new('--active', '--active', [CompletionResultType]::ParameterName, 'Make a worker already there active (re-adding otherwise keeps its state)')
            [CompletionResult]::new('--no-reboot', '--no-reboot', [CompletionResultType]::ParameterName, 'Do not reboot the worker at the end')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Only edit config.ini; do not contact the worker')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the worker''s SSH password from stdin (first contact only)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the change to config.ini as a diff and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;workers;replace' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the worker to appear on the network')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The worker''s SSH password (first contact only). Other users see it in `ps`, and it stays in shell history: prefer --password-stdin')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The worker''s SSH password (first contact only). Other users see it in `ps`, and it stays in shell history: prefer --password-stdin')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the worker''s SSH password from stdin (first contact only)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check the archive and say what would be done, doing nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;workers;remove' {
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'How to reach units')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each unit')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--keep-running', '--keep-running', [CompletionResultType]::ParameterName, 'Do not halt the workers'' jobs')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Only change the inventory; do not contact the workers (no halting, no copy of config.ini)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the change to config.ini as a diff and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;workers;set-active' {
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'How to reach units')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each unit')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Only change the inventory; do not contact the worker (no copy of config.ini, no halting)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the change to config.ini as a diff and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;workers;update-active' {
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'How to reach units')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each unit')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Only change the inventory; do not contact the worker (no copy of config.ini, no halting)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the change to config.ini as a diff and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;workers;discover' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to listen')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--new', '--new', [CompletionResultType]::ParameterName, 'Only workers not in the inventory')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'The Python CLI''s "end after the list": pio always does, after --timeout')
            [CompletionResult]::new('--terminate', '--terminate', [CompletionResultType]::ParameterName, 'The Python CLI''s "end after the list": pio always does, after --timeout')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;workers;assign' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;workers;unassign' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;workers;sync-configs' {
            [CompletionResult]::new('--units', '--units', [CompletionResultType]::ParameterName, 'A unit, as the Python `pios` names one (repeatable; the same as naming it)')
            [CompletionResult]::new('--experiment', '--experiment', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--experiments', '--experiments', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--fanout', '--fanout', [CompletionResultType]::ParameterName, 'How many units at once')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'How to reach units')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each unit')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every worker in the inventory (the leader only if named)')
            [CompletionResult]::new('--shared', '--shared', [CompletionResultType]::ParameterName, 'Only config.ini, the cluster''s shared settings')
            [CompletionResult]::new('--specific', '--specific', [CompletionResultType]::ParameterName, 'Only each unit''s own settings: sent from config_<unit>.ini to units before 26.4, fetched from 26.4 units (which own their unit_config.ini) into config_<unit>.ini')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;workers;status' {
            [CompletionResult]::new('--experiment', '--experiment', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--experiments', '--experiments', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--fanout', '--fanout', [CompletionResultType]::ParameterName, 'How many units at once')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'How to reach units')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each unit')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;workers;model' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a worker''s model as JSON ({"model_name", "model_version"}), as the Python CLI does')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a worker''s model')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pio;workers;model;get' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;workers;model;set' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;workers;model;help' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a worker''s model as JSON ({"model_name", "model_version"}), as the Python CLI does')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a worker''s model')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pio;workers;model;help;get' {
            break
        }
        'pio;workers;model;help;set' {
            break
        }
        'pio;workers;model;help;help' {
            break
        }
        'pio;workers;update-model' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The model, e.g. pioreactor_40ml')
            [CompletionResult]::new('--model-name', '--model-name', [CompletionResultType]::ParameterName, 'The model, e.g. pioreactor_40ml')
            [CompletionResult]::new('--model-version', '--model-version', [CompletionResultType]::ParameterName, 'The model''s version, e.g. 1.5 (the Python CLI''s `-v VERSION` is read as this)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;workers;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every unit in the inventory')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a worker to the inventory (or update its address or state)')
            [CompletionResult]::new('replace', 'replace', [CompletionResultType]::ParameterValue, 'Bring back a worker on a re-flashed SD card: forget its old host key, set it up again, restore its backup')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove workers from the inventory, with their addresses')
            [CompletionResult]::new('set-active', 'set-active', [CompletionResultType]::ParameterValue, 'Make a worker active (1) or inactive (0)')
            [CompletionResult]::new('discover', 'discover', [CompletionResultType]::ParameterValue, 'Find workers on the network by mDNS')
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Assign a worker to an experiment (Pioreactor 24.4 and later)')
            [CompletionResult]::new('unassign', 'unassign', [CompletionResultType]::ParameterValue, 'Unassign a worker from its experiment (Pioreactor 24.4 and later)')
            [CompletionResult]::new('sync-configs', 'sync-configs', [CompletionResultType]::ParameterValue, 'Copy this leader''s config.ini (and config_<unit>.ini) to units')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Check which units answer, and how')
            [CompletionResult]::new('model', 'model', [CompletionResultType]::ParameterValue, 'A worker''s model: where the leader''s database keeps it (26.11 and later: the unit does, and the leader passes a change on to it)')
            [CompletionResult]::new('update-model', 'update-model', [CompletionResultType]::ParameterValue, 'Set a worker''s model (the Python CLI''s spelling before 26.11; `workers model set` since)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pio;workers;help;list' {
            break
        }
        'pio;workers;help;add' {
            break
        }
        'pio;workers;help;replace' {
            break
        }
        'pio;workers;help;remove' {
            break
        }
        'pio;workers;help;set-active' {
            break
        }
        'pio;workers;help;discover' {
            break
        }
        'pio;workers;help;assign' {
            break
        }
        'pio;workers;help;unassign' {
            break
        }
        'pio;workers;help;sync-configs' {
            break
        }
        'pio;workers;help;status' {
            break
        }
        'pio;workers;help;model' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a worker''s model as JSON ({"model_name", "model_version"}), as the Python CLI does')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a worker''s model')
            break
        }
        'pio;workers;help;model;get' {
            break
        }
        'pio;workers;help;model;set' {
            break
        }
        'pio;workers;help;update-model' {
            break
        }
        'pio;workers;help;help' {
            break
        }
        'pio;doctor' {
            [CompletionResult]::new('--experiment', '--experiment', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--experiments', '--experiments', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--fanout', '--fanout', [CompletionResultType]::ParameterName, 'How many units at once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds each unit may take per check')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 1 on warnings too')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;identify' {
            [CompletionResult]::new('--units', '--units', [CompletionResultType]::ParameterName, 'A unit, as the Python `pios` names one (repeatable; the same as naming it)')
            [CompletionResult]::new('--experiment', '--experiment', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--experiments', '--experiments', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Keep blinking about this long (whole rounds of about 3.5 s)')
            [CompletionResult]::new('--pause', '--pause', [CompletionResultType]::ParameterName, 'Seconds between units in a roll call')
            [CompletionResult]::new('--fanout', '--fanout', [CompletionResultType]::ParameterName, 'How many units at once (without --roll-call)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each unit to answer')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every worker in the inventory (the leader only if named)')
            [CompletionResult]::new('--roll-call', '--roll-call', [CompletionResultType]::ParameterName, 'Blink the units one after another, printing each name while its LED blinks')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;rename' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the whole rename may take, the wait for it to come back under the new name included')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for the worker to come back')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and do nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;reboot' {
            [CompletionResult]::new('--units', '--units', [CompletionResultType]::ParameterName, 'A unit, as the Python `pios` names one (repeatable; the same as naming it)')
            [CompletionResult]::new('--experiment', '--experiment', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--experiments', '--experiments', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--fanout', '--fanout', [CompletionResultType]::ParameterName, 'How many units at once')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'How to reach units')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each unit to answer (default 10, at most 60), or with --wait for each to come back (default 180)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every worker in the inventory (the leader only if named)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until each unit has restarted and answers again (the leader excepted)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and do nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;repair' {
            [CompletionResult]::new('--units', '--units', [CompletionResultType]::ParameterName, 'A unit, as the Python `pios` names one (repeatable; the same as naming it)')
            [CompletionResult]::new('--experiment', '--experiment', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--experiments', '--experiments', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--fanout', '--fanout', [CompletionResultType]::ParameterName, 'How many units at once')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'How to reach units')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each unit')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every worker in the inventory (the leader only if named)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say how each unit would be repaired, and do nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;cluster' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Update the Pioreactor software of every unit: the workers first, then the leader')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pio;cluster;update' {
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The release to install (default: the Python CLI''s, the latest)')
            [CompletionResult]::new('--fanout', '--fanout', [CompletionResultType]::ParameterName, 'How many workers at once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds each unit may take to update and answer with its new release')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the order and do nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'pio;cluster;help' {
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Update the Pioreactor software of every unit: the workers first, then the leader')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pio;cluster;help;update' {
            break
        }
        'pio;cluster;help;help' {
            break
        }
        'pio;shutdown' {
            [CompletionResult]::new('--units', '--units', [CompletionResultType]::ParameterName, 'A unit, as the Python `pios` names one (repeatable; the same as naming it)')
            [CompletionResult]::new('--experiment', '--experiment', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--experiments', '--experiments', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--fanout', '--fanout', [CompletionResultType]::ParameterName, 'How many units at once')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'How to reach units')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each unit to answer')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every worker in the inventory (the leader only if named)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and do nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;clock' {
            [CompletionResult]::new('--units', '--units', [CompletionResultType]::ParameterName, 'A unit, as the Python `pios` names one (repeatable; the same as naming it)')
            [CompletionResult]::new('--experiment', '--experiment', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--experiments', '--experiments', [CompletionResultType]::ParameterName, 'The active workers assigned to this experiment in the leader''s database (repeatable)')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'Seconds a unit''s clock may be off the leader''s before it is flagged (exit code 1)')
            [CompletionResult]::new('--fanout', '--fanout', [CompletionResultType]::ParameterName, 'How many units at once')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'How to reach units')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each unit')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every worker in the inventory (the leader only if named)')
            [CompletionResult]::new('--sync', '--sync', [CompletionResultType]::ParameterName, 'Bring every unit beyond the tolerance to the leader''s time, then read it again')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Read the clocks, and with --sync say what it would do, changing nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;backup' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The file to write (default: <unit>-<UTC time>.zip here); never replaced if it exists')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The file to write (default: <unit>-<UTC time>.zip here); never replaced if it exists')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'How to reach the unit')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the whole backup may take')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and do nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;restore' {
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'How to reach the unit')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the whole restore may take')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config.ini instead of looking it up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader''s database through its web API (24.4 and later). Default: decided by evidence; see `-v`')
            [CompletionResult]::new('--other-unit', '--other-unit', [CompletionResultType]::ParameterName, 'Restore an archive of another unit, or one that names no unit')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--no-reboot', '--no-reboot', [CompletionResultType]::ParameterName, 'Do not reboot the unit afterwards (over SSH; the web API''s import reboots it anyway)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check the archive, show the plan and do nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (a stable schema)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr except errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which config.ini, which inventory and why, what is done)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pio;help' {
            [CompletionResult]::new('workers', 'workers', [CompletionResultType]::ParameterValue, 'Manage the workers in the cluster''s inventory')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Diagnose the cluster: this unit, then every unit (names, SSH, web API, versions, clocks)')
            [CompletionResult]::new('identify', 'identify', [CompletionResultType]::ParameterValue, 'Blink a unit''s blue LED, to find it at the bench')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a worker: its hostname, its config.ini entries, then a reboot')
            [CompletionResult]::new('reboot', 'reboot', [CompletionResultType]::ParameterValue, 'Reboot units (in parallel; the leader last)')
            [CompletionResult]::new('repair', 'repair', [CompletionResultType]::ParameterValue, 'Repair units'' Pioreactor files and services (Pioreactor 26.5 and later)')
            [CompletionResult]::new('cluster', 'cluster', [CompletionResultType]::ParameterValue, 'The whole cluster at once (`cluster join` and `leave` are the Python CLI''s)')
            [CompletionResult]::new('shutdown', 'shutdown', [CompletionResultType]::ParameterValue, 'Shut units down (power off; in parallel, the leader last)')
            [CompletionResult]::new('clock', 'clock', [CompletionResultType]::ParameterValue, 'Each unit''s clock against the leader''s; --sync brings them to it')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Save a unit''s ~/.pioreactor (the leader''s database included) to a zip on this machine')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Replace a unit''s ~/.pioreactor with an archive from `pio backup` or the web UI')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pio;help;workers' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every unit in the inventory')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a worker to the inventory (or update its address or state)')
            [CompletionResult]::new('replace', 'replace', [CompletionResultType]::ParameterValue, 'Bring back a worker on a re-flashed SD card: forget its old host key, set it up again, restore its backup')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove workers from the inventory, with their addresses')
            [CompletionResult]::new('set-active', 'set-active', [CompletionResultType]::ParameterValue, 'Make a worker active (1) or inactive (0)')
            [CompletionResult]::new('discover', 'discover', [CompletionResultType]::ParameterValue, 'Find workers on the network by mDNS')
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Assign a worker to an experiment (Pioreactor 24.4 and later)')
            [CompletionResult]::new('unassign', 'unassign', [CompletionResultType]::ParameterValue, 'Unassign a worker from its experiment (Pioreactor 24.4 and later)')
            [CompletionResult]::new('sync-configs', 'sync-configs', [CompletionResultType]::ParameterValue, 'Copy this leader''s config.ini (and config_<unit>.ini) to units')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Check which units answer, and how')
            [CompletionResult]::new('model', 'model', [CompletionResultType]::ParameterValue, 'A worker''s model: where the leader''s database keeps it (26.11 and later: the unit does, and the leader passes a change on to it)')
            [CompletionResult]::new('update-model', 'update-model', [CompletionResultType]::ParameterValue, 'Set a worker''s model (the Python CLI''s spelling before 26.11; `workers model set` since)')
            break
        }
        'pio;help;workers;list' {
            break
        }
        'pio;help;workers;add' {
            break
        }
        'pio;help;workers;replace' {
            break
        }
        'pio;help;workers;remove' {
            break
        }
        'pio;help;workers;set-active' {
            break
        }
        'pio;help;workers;discover' {
            break
        }
        'pio;help;workers;assign' {
            break
        }
        'pio;help;workers;unassign' {
            break
        }
        'pio;help;workers;sync-configs' {
            break
        }
        'pio;help;workers;status' {
            break
        }
        'pio;help;workers;model' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a worker''s model as JSON ({"model_name", "model_version"}), as the Python CLI does')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a worker''s model')
            break
        }
        'pio;help;workers;model;get' {
            break
        }
        'pio;help;workers;model;set' {
            break
        }
        'pio;help;workers;update-model' {
            break
        }
        'pio;help;doctor' {
            break
        }
        'pio;help;identify' {
            break
        }
        'pio;help;rename' {
            break
        }
        'pio;help;reboot' {
            break
        }
        'pio;help;repair' {
            break
        }
        'pio;help;cluster' {
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Update the Pioreactor software of every unit: the workers first, then the leader')
            break
        }
        'pio;help;cluster;update' {
            break
        }
        'pio;help;shutdown' {
            break
        }
        'pio;help;clock' {
            break
        }
        'pio;help;backup' {
            break
        }
        'pio;help;restore' {
            break
        }
        'pio;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
