# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pio_global_optspecs
    string join \n config= json color= q/quiet v/verbose inventory= h/help V/version
end

function __fish_pio_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pio_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pio_using_subcommand
    set -l cmd (__fish_pio_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pio -n "__fish_pio_needs_command" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_needs_command" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_needs_command" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_needs_command" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_needs_command" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_needs_command" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_needs_command" -s h -l help -d 'Print help'
complete -c pio -n "__fish_pio_needs_command" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_needs_command" -f -a "workers" -d 'Manage the workers in the cluster\'s inventory'
complete -c pio -n "__fish_pio_needs_command" -f -a "doctor" -d 'Diagnose the cluster: this unit, then every unit (names, SSH, web API, versions, clocks)'
complete -c pio -n "__fish_pio_needs_command" -f -a "identify" -d 'Blink a unit\'s blue LED, to find it at the bench'
complete -c pio -n "__fish_pio_needs_command" -f -a "rename" -d 'Rename a worker: its hostname, its config.ini entries, then a reboot'
complete -c pio -n "__fish_pio_needs_command" -f -a "reboot" -d 'Reboot units (in parallel; the leader last)'
complete -c pio -n "__fish_pio_needs_command" -f -a "repair" -d 'Repair units\' Pioreactor files and services (Pioreactor 26.5 and later)'
complete -c pio -n "__fish_pio_needs_command" -f -a "cluster" -d 'The whole cluster at once (`cluster join` and `leave` are the Python CLI\'s)'
complete -c pio -n "__fish_pio_needs_command" -f -a "shutdown" -d 'Shut units down (power off; in parallel, the leader last)'
complete -c pio -n "__fish_pio_needs_command" -f -a "clock" -d 'Each unit\'s clock against the leader\'s; --sync brings them to it'
complete -c pio -n "__fish_pio_needs_command" -f -a "backup" -d 'Save a unit\'s ~/.pioreactor (the leader\'s database included) to a zip on this machine'
complete -c pio -n "__fish_pio_needs_command" -f -a "restore" -d 'Replace a unit\'s ~/.pioreactor with an archive from `pio backup` or the web UI'
complete -c pio -n "__fish_pio_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -s h -l help -d 'Print help'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -f -a "list" -d 'List every unit in the inventory'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -f -a "add" -d 'Add a worker to the inventory (or update its address or state)'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -f -a "replace" -d 'Bring back a worker on a re-flashed SD card: forget its old host key, set it up again, restore its backup'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -f -a "remove" -d 'Remove workers from the inventory, with their addresses'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -f -a "set-active" -d 'Make a worker active (1) or inactive (0)'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -f -a "update-active" -d 'Make a worker active (1) or inactive (0)'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -f -a "discover" -d 'Find workers on the network by mDNS'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -f -a "assign" -d 'Assign a worker to an experiment (Pioreactor 24.4 and later)'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -f -a "unassign" -d 'Unassign a worker from its experiment (Pioreactor 24.4 and later)'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -f -a "sync-configs" -d 'Copy this leader\'s config.ini (and config_<unit>.ini) to units'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -f -a "status" -d 'Check which units answer, and how'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -f -a "model" -d 'A worker\'s model: where the leader\'s database keeps it (26.11 and later: the unit does, and the leader passes a change on to it)'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -f -a "update-model" -d 'Set a worker\'s model (the Python CLI\'s spelling before 26.11; `workers model set` since)'
complete -c pio -n "__fish_pio_using_subcommand workers; and not __fish_seen_subcommand_from list add replace remove set-active update-active discover assign unassign sync-configs status model update-model help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from list" -l via -d 'How to reach units' -r -f -a "auto\t'The web API when it answers, else SSH'
ssh\t''
http\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from list" -l timeout -d 'Seconds to wait for each unit' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from list" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from list" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from list" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from list" -l active -d 'Only active workers'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from list" -l inactive -d 'Only inactive workers'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from list" -l names -d 'One name per line (for scripts and completion)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from list" -l releases -d 'Ask each listed unit its Pioreactor release (its web API, else `pio version` over SSH)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from list" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -s a -l address -d 'Static IPv4 address, written to [cluster.addresses] (bypasses mDNS)' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -s m -l model-name -d 'The worker\'s model, e.g. pioreactor_40ml (the leader\'s database keeps it; from 26.11 the worker too, told at its join)' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -l model-version -d 'The model\'s version, e.g. 1.5' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -l timeout -d 'Seconds to wait for the worker to appear on the network' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -s p -l password -d 'The worker\'s SSH password (first contact only). Other users see it in `ps`, and it stays in shell history: prefer --password-stdin' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -l inactive -d 'Add the worker as inactive (or make one already there inactive)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -l active -d 'Make a worker already there active (re-adding otherwise keeps its state)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -l no-reboot -d 'Do not reboot the worker at the end'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -l offline -d 'Only edit config.ini; do not contact the worker'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -l password-stdin -d 'Read the worker\'s SSH password from stdin (first contact only)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -l dry-run -d 'Show the change to config.ini as a diff and write nothing'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from replace" -l timeout -d 'Seconds to wait for the worker to appear on the network' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from replace" -s p -l password -d 'The worker\'s SSH password (first contact only). Other users see it in `ps`, and it stays in shell history: prefer --password-stdin' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from replace" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from replace" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from replace" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from replace" -s y -l yes -d 'Do not ask for confirmation'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from replace" -l password-stdin -d 'Read the worker\'s SSH password from stdin (first contact only)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from replace" -l dry-run -d 'Check the archive and say what would be done, doing nothing'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from replace" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from replace" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from replace" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from replace" -s h -l help -d 'Print help'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from replace" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from remove" -l via -d 'How to reach units' -r -f -a "auto\t'The web API when it answers, else SSH'
ssh\t''
http\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from remove" -l timeout -d 'Seconds to wait for each unit' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from remove" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from remove" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from remove" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from remove" -l keep-running -d 'Do not halt the workers\' jobs'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from remove" -l offline -d 'Only change the inventory; do not contact the workers (no halting, no copy of config.ini)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from remove" -l dry-run -d 'Show the change to config.ini as a diff and write nothing'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from remove" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from set-active" -l via -d 'How to reach units' -r -f -a "auto\t'The web API when it answers, else SSH'
ssh\t''
http\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from set-active" -l timeout -d 'Seconds to wait for each unit' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from set-active" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from set-active" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from set-active" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from set-active" -l offline -d 'Only change the inventory; do not contact the worker (no copy of config.ini, no halting)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from set-active" -l dry-run -d 'Show the change to config.ini as a diff and write nothing'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from set-active" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from set-active" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from set-active" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from set-active" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from set-active" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-active" -l via -d 'How to reach units' -r -f -a "auto\t'The web API when it answers, else SSH'
ssh\t''
http\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-active" -l timeout -d 'Seconds to wait for each unit' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-active" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-active" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-active" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-active" -l offline -d 'Only change the inventory; do not contact the worker (no copy of config.ini, no halting)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-active" -l dry-run -d 'Show the change to config.ini as a diff and write nothing'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-active" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-active" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-active" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-active" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-active" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from discover" -l timeout -d 'Seconds to listen' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from discover" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from discover" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from discover" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from discover" -l new -d 'Only workers not in the inventory'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from discover" -s t -l terminate -d 'The Python CLI\'s "end after the list": pio always does, after --timeout'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from discover" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from discover" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from discover" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from discover" -s h -l help -d 'Print help'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from discover" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from assign" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from assign" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from assign" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from assign" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from assign" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from assign" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from assign" -s h -l help -d 'Print help'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from assign" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from unassign" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from unassign" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from unassign" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from unassign" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from unassign" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from unassign" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from unassign" -s h -l help -d 'Print help'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from unassign" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -l units -d 'A unit, as the Python `pios` names one (repeatable; the same as naming it)' -r -f -a "(__fish_print_hostnames)"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -l experiment -l experiments -d 'The active workers assigned to this experiment in the leader\'s database (repeatable)' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -l fanout -d 'How many units at once' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -l via -d 'How to reach units' -r -f -a "auto\t'The web API when it answers, else SSH'
ssh\t''
http\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -l timeout -d 'Seconds to wait for each unit' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -l all -d 'Every worker in the inventory (the leader only if named)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -l shared -d 'Only config.ini, the cluster\'s shared settings'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -l specific -d 'Only each unit\'s own settings: sent from config_<unit>.ini to units before 26.4, fetched from 26.4 units (which own their unit_config.ini) into config_<unit>.ini'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from sync-configs" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from status" -l experiment -l experiments -d 'The active workers assigned to this experiment in the leader\'s database (repeatable)' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from status" -l fanout -d 'How many units at once' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from status" -l via -d 'How to reach units' -r -f -a "auto\t'The web API when it answers, else SSH'
ssh\t''
http\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from status" -l timeout -d 'Seconds to wait for each unit' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from status" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from status" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from status" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from status" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from model" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from model" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from model" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from model" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from model" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from model" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from model" -s h -l help -d 'Print help'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from model" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from model" -f -a "get" -d 'Print a worker\'s model as JSON ({"model_name", "model_version"}), as the Python CLI does'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from model" -f -a "set" -d 'Set a worker\'s model'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from model" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-model" -s m -l model-name -d 'The model, e.g. pioreactor_40ml' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-model" -l model-version -d 'The model\'s version, e.g. 1.5 (the Python CLI\'s `-v VERSION` is read as this)' -r
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-model" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-model" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-model" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-model" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-model" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-model" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-model" -s h -l help -d 'Print help'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from update-model" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from help" -f -a "list" -d 'List every unit in the inventory'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a worker to the inventory (or update its address or state)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from help" -f -a "replace" -d 'Bring back a worker on a re-flashed SD card: forget its old host key, set it up again, restore its backup'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove workers from the inventory, with their addresses'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from help" -f -a "set-active" -d 'Make a worker active (1) or inactive (0)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from help" -f -a "discover" -d 'Find workers on the network by mDNS'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from help" -f -a "assign" -d 'Assign a worker to an experiment (Pioreactor 24.4 and later)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from help" -f -a "unassign" -d 'Unassign a worker from its experiment (Pioreactor 24.4 and later)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from help" -f -a "sync-configs" -d 'Copy this leader\'s config.ini (and config_<unit>.ini) to units'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from help" -f -a "status" -d 'Check which units answer, and how'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from help" -f -a "model" -d 'A worker\'s model: where the leader\'s database keeps it (26.11 and later: the unit does, and the leader passes a change on to it)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from help" -f -a "update-model" -d 'Set a worker\'s model (the Python CLI\'s spelling before 26.11; `workers model set` since)'
complete -c pio -n "__fish_pio_using_subcommand workers; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pio -n "__fish_pio_using_subcommand doctor" -l experiment -l experiments -d 'The active workers assigned to this experiment in the leader\'s database (repeatable)' -r
complete -c pio -n "__fish_pio_using_subcommand doctor" -l fanout -d 'How many units at once' -r
complete -c pio -n "__fish_pio_using_subcommand doctor" -l timeout -d 'Seconds each unit may take per check' -r
complete -c pio -n "__fish_pio_using_subcommand doctor" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand doctor" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand doctor" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand doctor" -l strict -d 'Exit 1 on warnings too'
complete -c pio -n "__fish_pio_using_subcommand doctor" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand doctor" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand doctor" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c pio -n "__fish_pio_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand identify" -l units -d 'A unit, as the Python `pios` names one (repeatable; the same as naming it)' -r -f -a "(__fish_print_hostnames)"
complete -c pio -n "__fish_pio_using_subcommand identify" -l experiment -l experiments -d 'The active workers assigned to this experiment in the leader\'s database (repeatable)' -r
complete -c pio -n "__fish_pio_using_subcommand identify" -l duration -d 'Keep blinking about this long (whole rounds of about 3.5 s)' -r
complete -c pio -n "__fish_pio_using_subcommand identify" -l pause -d 'Seconds between units in a roll call' -r
complete -c pio -n "__fish_pio_using_subcommand identify" -l fanout -d 'How many units at once (without --roll-call)' -r
complete -c pio -n "__fish_pio_using_subcommand identify" -l timeout -d 'Seconds to wait for each unit to answer' -r
complete -c pio -n "__fish_pio_using_subcommand identify" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand identify" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand identify" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand identify" -l all -d 'Every worker in the inventory (the leader only if named)'
complete -c pio -n "__fish_pio_using_subcommand identify" -l roll-call -d 'Blink the units one after another, printing each name while its LED blinks'
complete -c pio -n "__fish_pio_using_subcommand identify" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand identify" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand identify" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand identify" -s h -l help -d 'Print help'
complete -c pio -n "__fish_pio_using_subcommand identify" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand rename" -l timeout -d 'Seconds the whole rename may take, the wait for it to come back under the new name included' -r
complete -c pio -n "__fish_pio_using_subcommand rename" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand rename" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand rename" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand rename" -l no-wait -d 'Do not wait for the worker to come back'
complete -c pio -n "__fish_pio_using_subcommand rename" -l dry-run -d 'Show the plan and do nothing'
complete -c pio -n "__fish_pio_using_subcommand rename" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand rename" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand rename" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand rename" -s h -l help -d 'Print help'
complete -c pio -n "__fish_pio_using_subcommand rename" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand reboot" -l units -d 'A unit, as the Python `pios` names one (repeatable; the same as naming it)' -r -f -a "(__fish_print_hostnames)"
complete -c pio -n "__fish_pio_using_subcommand reboot" -l experiment -l experiments -d 'The active workers assigned to this experiment in the leader\'s database (repeatable)' -r
complete -c pio -n "__fish_pio_using_subcommand reboot" -l fanout -d 'How many units at once' -r
complete -c pio -n "__fish_pio_using_subcommand reboot" -l via -d 'How to reach units' -r -f -a "auto\t'The web API when it answers, else SSH'
ssh\t''
http\t''"
complete -c pio -n "__fish_pio_using_subcommand reboot" -l timeout -d 'Seconds to wait for each unit to answer (default 10, at most 60), or with --wait for each to come back (default 180)' -r
complete -c pio -n "__fish_pio_using_subcommand reboot" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand reboot" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand reboot" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand reboot" -l all -d 'Every worker in the inventory (the leader only if named)'
complete -c pio -n "__fish_pio_using_subcommand reboot" -s y -l yes -d 'Do not ask for confirmation'
complete -c pio -n "__fish_pio_using_subcommand reboot" -l wait -d 'Wait until each unit has restarted and answers again (the leader excepted)'
complete -c pio -n "__fish_pio_using_subcommand reboot" -l dry-run -d 'Show the plan and do nothing'
complete -c pio -n "__fish_pio_using_subcommand reboot" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand reboot" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand reboot" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand reboot" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pio -n "__fish_pio_using_subcommand reboot" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand repair" -l units -d 'A unit, as the Python `pios` names one (repeatable; the same as naming it)' -r -f -a "(__fish_print_hostnames)"
complete -c pio -n "__fish_pio_using_subcommand repair" -l experiment -l experiments -d 'The active workers assigned to this experiment in the leader\'s database (repeatable)' -r
complete -c pio -n "__fish_pio_using_subcommand repair" -l fanout -d 'How many units at once' -r
complete -c pio -n "__fish_pio_using_subcommand repair" -l via -d 'How to reach units' -r -f -a "auto\t'The web API when it answers, else SSH'
ssh\t''
http\t''"
complete -c pio -n "__fish_pio_using_subcommand repair" -l timeout -d 'Seconds to wait for each unit' -r
complete -c pio -n "__fish_pio_using_subcommand repair" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand repair" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand repair" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand repair" -l all -d 'Every worker in the inventory (the leader only if named)'
complete -c pio -n "__fish_pio_using_subcommand repair" -l dry-run -d 'Say how each unit would be repaired, and do nothing'
complete -c pio -n "__fish_pio_using_subcommand repair" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand repair" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand repair" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand repair" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pio -n "__fish_pio_using_subcommand repair" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand cluster; and not __fish_seen_subcommand_from update help" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand cluster; and not __fish_seen_subcommand_from update help" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand cluster; and not __fish_seen_subcommand_from update help" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand cluster; and not __fish_seen_subcommand_from update help" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand cluster; and not __fish_seen_subcommand_from update help" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand cluster; and not __fish_seen_subcommand_from update help" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand cluster; and not __fish_seen_subcommand_from update help" -s h -l help -d 'Print help'
complete -c pio -n "__fish_pio_using_subcommand cluster; and not __fish_seen_subcommand_from update help" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand cluster; and not __fish_seen_subcommand_from update help" -f -a "update" -d 'Update the Pioreactor software of every unit: the workers first, then the leader'
complete -c pio -n "__fish_pio_using_subcommand cluster; and not __fish_seen_subcommand_from update help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pio -n "__fish_pio_using_subcommand cluster; and __fish_seen_subcommand_from update" -l version -d 'The release to install (default: the Python CLI\'s, the latest)' -r
complete -c pio -n "__fish_pio_using_subcommand cluster; and __fish_seen_subcommand_from update" -l fanout -d 'How many workers at once' -r
complete -c pio -n "__fish_pio_using_subcommand cluster; and __fish_seen_subcommand_from update" -l timeout -d 'Seconds each unit may take to update and answer with its new release' -r
complete -c pio -n "__fish_pio_using_subcommand cluster; and __fish_seen_subcommand_from update" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand cluster; and __fish_seen_subcommand_from update" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand cluster; and __fish_seen_subcommand_from update" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand cluster; and __fish_seen_subcommand_from update" -s y -l yes -d 'Do not ask for confirmation'
complete -c pio -n "__fish_pio_using_subcommand cluster; and __fish_seen_subcommand_from update" -l dry-run -d 'Show the order and do nothing'
complete -c pio -n "__fish_pio_using_subcommand cluster; and __fish_seen_subcommand_from update" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand cluster; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand cluster; and __fish_seen_subcommand_from update" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand cluster; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help'
complete -c pio -n "__fish_pio_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "update" -d 'Update the Pioreactor software of every unit: the workers first, then the leader'
complete -c pio -n "__fish_pio_using_subcommand cluster; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pio -n "__fish_pio_using_subcommand shutdown" -l units -d 'A unit, as the Python `pios` names one (repeatable; the same as naming it)' -r -f -a "(__fish_print_hostnames)"
complete -c pio -n "__fish_pio_using_subcommand shutdown" -l experiment -l experiments -d 'The active workers assigned to this experiment in the leader\'s database (repeatable)' -r
complete -c pio -n "__fish_pio_using_subcommand shutdown" -l fanout -d 'How many units at once' -r
complete -c pio -n "__fish_pio_using_subcommand shutdown" -l via -d 'How to reach units' -r -f -a "auto\t'The web API when it answers, else SSH'
ssh\t''
http\t''"
complete -c pio -n "__fish_pio_using_subcommand shutdown" -l timeout -d 'Seconds to wait for each unit to answer' -r
complete -c pio -n "__fish_pio_using_subcommand shutdown" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand shutdown" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand shutdown" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand shutdown" -l all -d 'Every worker in the inventory (the leader only if named)'
complete -c pio -n "__fish_pio_using_subcommand shutdown" -s y -l yes -d 'Do not ask for confirmation'
complete -c pio -n "__fish_pio_using_subcommand shutdown" -l dry-run -d 'Show the plan and do nothing'
complete -c pio -n "__fish_pio_using_subcommand shutdown" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand shutdown" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand shutdown" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand shutdown" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pio -n "__fish_pio_using_subcommand shutdown" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand clock" -l units -d 'A unit, as the Python `pios` names one (repeatable; the same as naming it)' -r -f -a "(__fish_print_hostnames)"
complete -c pio -n "__fish_pio_using_subcommand clock" -l experiment -l experiments -d 'The active workers assigned to this experiment in the leader\'s database (repeatable)' -r
complete -c pio -n "__fish_pio_using_subcommand clock" -l tolerance -d 'Seconds a unit\'s clock may be off the leader\'s before it is flagged (exit code 1)' -r
complete -c pio -n "__fish_pio_using_subcommand clock" -l fanout -d 'How many units at once' -r
complete -c pio -n "__fish_pio_using_subcommand clock" -l via -d 'How to reach units' -r -f -a "auto\t'The web API when it answers, else SSH'
ssh\t''
http\t''"
complete -c pio -n "__fish_pio_using_subcommand clock" -l timeout -d 'Seconds to wait for each unit' -r
complete -c pio -n "__fish_pio_using_subcommand clock" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand clock" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand clock" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand clock" -l all -d 'Every worker in the inventory (the leader only if named)'
complete -c pio -n "__fish_pio_using_subcommand clock" -l sync -d 'Bring every unit beyond the tolerance to the leader\'s time, then read it again'
complete -c pio -n "__fish_pio_using_subcommand clock" -l dry-run -d 'Read the clocks, and with --sync say what it would do, changing nothing'
complete -c pio -n "__fish_pio_using_subcommand clock" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand clock" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand clock" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand clock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pio -n "__fish_pio_using_subcommand clock" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand backup" -s o -l output -d 'The file to write (default: <unit>-<UTC time>.zip here); never replaced if it exists' -r -F
complete -c pio -n "__fish_pio_using_subcommand backup" -l via -d 'How to reach the unit' -r -f -a "auto\t'The web API when it answers, else SSH'
ssh\t''
http\t''"
complete -c pio -n "__fish_pio_using_subcommand backup" -l timeout -d 'Seconds the whole backup may take' -r
complete -c pio -n "__fish_pio_using_subcommand backup" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand backup" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand backup" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand backup" -l dry-run -d 'Show the plan and do nothing'
complete -c pio -n "__fish_pio_using_subcommand backup" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand backup" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand backup" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand backup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pio -n "__fish_pio_using_subcommand backup" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand restore" -l via -d 'How to reach the unit' -r -f -a "auto\t'The web API when it answers, else SSH'
ssh\t''
http\t''"
complete -c pio -n "__fish_pio_using_subcommand restore" -l timeout -d 'Seconds the whole restore may take' -r
complete -c pio -n "__fish_pio_using_subcommand restore" -l config -d 'Use this config.ini instead of looking it up' -r -F
complete -c pio -n "__fish_pio_using_subcommand restore" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pio -n "__fish_pio_using_subcommand restore" -l inventory -d 'Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader\'s database through its web API (24.4 and later). Default: decided by evidence; see `-v`' -r -f -a "config\t''
api\t''"
complete -c pio -n "__fish_pio_using_subcommand restore" -l other-unit -d 'Restore an archive of another unit, or one that names no unit'
complete -c pio -n "__fish_pio_using_subcommand restore" -s y -l yes -d 'Do not ask for confirmation'
complete -c pio -n "__fish_pio_using_subcommand restore" -l no-reboot -d 'Do not reboot the unit afterwards (over SSH; the web API\'s import reboots it anyway)'
complete -c pio -n "__fish_pio_using_subcommand restore" -l dry-run -d 'Check the archive, show the plan and do nothing'
complete -c pio -n "__fish_pio_using_subcommand restore" -l json -d 'Print machine-readable JSON on stdout (a stable schema)'
complete -c pio -n "__fish_pio_using_subcommand restore" -s q -l quiet -d 'Say nothing on stderr except errors'
complete -c pio -n "__fish_pio_using_subcommand restore" -s v -l verbose -d 'Say more on stderr (which config.ini, which inventory and why, what is done)'
complete -c pio -n "__fish_pio_using_subcommand restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pio -n "__fish_pio_using_subcommand restore" -s V -l version -d 'Print version'
complete -c pio -n "__fish_pio_using_subcommand help; and not __fish_seen_subcommand_from workers doctor identify rename reboot repair cluster shutdown clock backup restore help" -f -a "workers" -d 'Manage the workers in the cluster\'s inventory'
complete -c pio -n "__fish_pio_using_subcommand help; and not __fish_seen_subcommand_from workers doctor identify rename reboot repair cluster shutdown clock backup restore help" -f -a "doctor" -d 'Diagnose the cluster: this unit, then every unit (names, SSH, web API, versions, clocks)'
complete -c pio -n "__fish_pio_using_subcommand help; and not __fish_seen_subcommand_from workers doctor identify rename reboot repair cluster shutdown clock backup restore help" -f -a "identify" -d 'Blink a unit\'s blue LED, to find it at the bench'
complete -c pio -n "__fish_pio_using_subcommand help; and not __fish_seen_subcommand_from workers doctor identify rename reboot repair cluster shutdown clock backup restore help" -f -a "rename" -d 'Rename a worker: its hostname, its config.ini entries, then a reboot'
complete -c pio -n "__fish_pio_using_subcommand help; and not __fish_seen_subcommand_from workers doctor identify rename reboot repair cluster shutdown clock backup restore help" -f -a "reboot" -d 'Reboot units (in parallel; the leader last)'
complete -c pio -n "__fish_pio_using_subcommand help; and not __fish_seen_subcommand_from workers doctor identify rename reboot repair cluster shutdown clock backup restore help" -f -a "repair" -d 'Repair units\' Pioreactor files and services (Pioreactor 26.5 and later)'
complete -c pio -n "__fish_pio_using_subcommand help; and not __fish_seen_subcommand_from workers doctor identify rename reboot repair cluster shutdown clock backup restore help" -f -a "cluster" -d 'The whole cluster at once (`cluster join` and `leave` are the Python CLI\'s)'
complete -c pio -n "__fish_pio_using_subcommand help; and not __fish_seen_subcommand_from workers doctor identify rename reboot repair cluster shutdown clock backup restore help" -f -a "shutdown" -d 'Shut units down (power off; in parallel, the leader last)'
complete -c pio -n "__fish_pio_using_subcommand help; and not __fish_seen_subcommand_from workers doctor identify rename reboot repair cluster shutdown clock backup restore help" -f -a "clock" -d 'Each unit\'s clock against the leader\'s; --sync brings them to it'
complete -c pio -n "__fish_pio_using_subcommand help; and not __fish_seen_subcommand_from workers doctor identify rename reboot repair cluster shutdown clock backup restore help" -f -a "backup" -d 'Save a unit\'s ~/.pioreactor (the leader\'s database included) to a zip on this machine'
complete -c pio -n "__fish_pio_using_subcommand help; and not __fish_seen_subcommand_from workers doctor identify rename reboot repair cluster shutdown clock backup restore help" -f -a "restore" -d 'Replace a unit\'s ~/.pioreactor with an archive from `pio backup` or the web UI'
complete -c pio -n "__fish_pio_using_subcommand help; and not __fish_seen_subcommand_from workers doctor identify rename reboot repair cluster shutdown clock backup restore help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pio -n "__fish_pio_using_subcommand help; and __fish_seen_subcommand_from workers" -f -a "list" -d 'List every unit in the inventory'
complete -c pio -n "__fish_pio_using_subcommand help; and __fish_seen_subcommand_from workers" -f -a "add" -d 'Add a worker to the inventory (or update its address or state)'
complete -c pio -n "__fish_pio_using_subcommand help; and __fish_seen_subcommand_from workers" -f -a "replace" -d 'Bring back a worker on a re-flashed SD card: forget its old host key, set it up again, restore its backup'
complete -c pio -n "__fish_pio_using_subcommand help; and __fish_seen_subcommand_from workers" -f -a "remove" -d 'Remove workers from the inventory, with their addresses'
complete -c pio -n "__fish_pio_using_subcommand help; and __fish_seen_subcommand_from workers" -f -a "set-active" -d 'Make a worker active (1) or inactive (0)'
complete -c pio -n "__fish_pio_using_subcommand help; and __fish_seen_subcommand_from workers" -f -a "discover" -d 'Find workers on the network by mDNS'
complete -c pio -n "__fish_pio_using_subcommand help; and __fish_seen_subcommand_from workers" -f -a "assign" -d 'Assign a worker to an experiment (Pioreactor 24.4 and later)'
complete -c pio -n "__fish_pio_using_subcommand help; and __fish_seen_subcommand_from workers" -f -a "unassign" -d 'Unassign a worker from its experiment (Pioreactor 24.4 and later)'
complete -c pio -n "__fish_pio_using_subcommand help; and __fish_seen_subcommand_from workers" -f -a "sync-configs" -d 'Copy this leader\'s config.ini (and config_<unit>.ini) to units'
complete -c pio -n "__fish_pio_using_subcommand help; and __fish_seen_subcommand_from workers" -f -a "status" -d 'Check which units answer, and how'
complete -c pio -n "__fish_pio_using_subcommand help; and __fish_seen_subcommand_from workers" -f -a "model" -d 'A worker\'s model: where the leader\'s database keeps it (26.11 and later: the unit does, and the leader passes a change on to it)'
complete -c pio -n "__fish_pio_using_subcommand help; and __fish_seen_subcommand_from workers" -f -a "update-model" -d 'Set a worker\'s model (the Python CLI\'s spelling before 26.11; `workers model set` since)'
complete -c pio -n "__fish_pio_using_subcommand help; and __fish_seen_subcommand_from cluster" -f -a "update" -d 'Update the Pioreactor software of every unit: the workers first, then the leader'

# pio: unit names from this leader's inventory (`pio workers list --names`), and 1/0, where a
# command asks for them: (command as typed | position | units, unit or state).
function __fish_pio_asks --argument-names want
    set -l options --address --color --config --duration --experiment --fanout --inventory --model-name --model-version --output --password --pause --timeout --tolerance --units --version --via -a -m -o -p
    set -l words (commandline -opc)
    set -e words[1]
    set -l plain
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
            continue
        end
        if string match -q -- '-*' $w
            contains -- $w $options; and set skip 1
            continue
        end
        set -a plain $w
    end
    set -l typed (string join ' ' $plain)
    for line in 'workers replace|0|unit' 'workers remove|0|units' 'workers set-active|0|unit' 'workers set-active|1|state' 'workers update-active|0|unit' 'workers update-active|1|state' 'workers assign|0|unit' 'workers unassign|0|unit' 'workers sync-configs|0|units' 'workers status|0|units' 'workers model get|0|unit' 'workers model set|0|unit' 'workers update-model|0|unit' 'doctor|0|units' 'identify|0|units' 'rename|0|unit' 'reboot|0|units' 'repair|0|units' 'shutdown|0|units' 'clock|0|units' 'backup|0|unit' 'restore|0|unit'
        set -l f (string split '|' $line)
        set -l path $f[1]
        string match -q -- "$path" "$typed"; or string match -q -- "$path *" "$typed"; or continue
        set -l n (count (string split -n ' ' (string replace -- "$path" '' "$typed")))
        if test $f[3] = units
            test $n -ge $f[2]; or continue
        else
            test $n -eq $f[2]; or continue
        end
        if test $want = state
            test $f[3] = state; and return 0
        else
            test $f[3] != state; and return 0
        end
        return 1
    end
    return 1
end
complete -c pio -n '__fish_pio_asks unit' -f -a '(pio workers list --names 2>/dev/null)'
complete -c pio -n '__fish_pio_asks state' -f -a '1 0'
complete -c pio -l units -f -a '(pio workers list --names 2>/dev/null)'
