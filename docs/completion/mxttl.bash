# bash completion for mxttl(1). Commands and options are listed here; clause IDs, scenario
# names and targets come from the installed mxttl itself (`mxttl list ...`), so they never go
# stale. Installed as share/bash-completion/completions/mxttl.

_mxttl_list() { # clauses|scenarios|targets: the first column of `mxttl list WHAT`
    "${COMP_WORDS[0]}" list "$1" 2>/dev/null | while read -r first _; do
        printf '%s\n' "$first"
    done
}

_mxttl() {
    local cur prev cmd i
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    local commands="run explore list report diff fixture help"
    cmd=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -*) ;;
        *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    if [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W "$commands --version --help" -- "$cur"))
        return
    fi
    case $cmd in
    run)
        case $prev in
        --target)
            local t
            t="$(_mxttl_list targets) postfix exim postfix+cache"
            # model:ttl+FAULT: the listing's first column, plus driver: and smtp: prefixes
            COMPREPLY=($(compgen -W "$t driver: smtp:" -- "$cur"))
            [[ $cur == smtp:* ]] && COMPREPLY+=($(compgen -f -P smtp: -- "${cur#smtp:}"))
            [[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *: ]] && compopt -o nospace 2>/dev/null
            return ;;
        --clause) COMPREPLY=($(compgen -W "$(_mxttl_list clauses)" -- "$cur")); return ;;
        --spec) COMPREPLY=($(compgen -W "legacy ttl" -- "$cur")); return ;;
        --time) COMPREPLY=($(compgen -W "virtual real" -- "$cur")); return ;;
        --jobs) COMPREPLY=($(compgen -W "1 2 4 8 16" -- "$cur")); return ;;
        --query-timeout) COMPREPLY=($(compgen -W "150 400 1000" -- "$cur")); return ;;
        --report | --scenarios) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --dnsmasq) COMPREPLY=($(compgen -c -- "$cur")); return ;;
        esac
        COMPREPLY=($(compgen -W "--target --spec --clause --time --jobs --report --dnsmasq
                                 --scenarios --query-timeout --help" -- "$cur")) ;;
    explore)
        case $prev in
        --target)
            COMPREPLY=($(compgen -W "$(_mxttl_list targets) driver: smtp:" -- "$cur")); return ;;
        --clause) COMPREPLY=($(compgen -W "$(_mxttl_list clauses)" -- "$cur")); return ;;
        --spec) COMPREPLY=($(compgen -W "legacy ttl" -- "$cur")); return ;;
        --time) COMPREPLY=($(compgen -W "virtual real" -- "$cur")); return ;;
        --for) COMPREPLY=($(compgen -W "60s 10m 1h" -- "$cur")); return ;;
        --report | --emit) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --dnsmasq) COMPREPLY=($(compgen -c -- "$cur")); return ;;
        --seed | --count | --cases | --jobs | --query-timeout) return ;;
        esac
        COMPREPLY=($(compgen -W "--target --spec --seed --count --for --time --jobs --report
                                 --clause --cases --dnsmasq --emit --query-timeout --help" -- "$cur")) ;;
    list)
        case $prev in
        --scenarios) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        esac
        COMPREPLY=($(compgen -W "clauses scenarios targets --scenarios --help" -- "$cur")) ;;
    report)
        [[ $prev == --out ]] && { COMPREPLY=($(compgen -d -- "$cur")); return; }
        COMPREPLY=($(compgen -W "--out --help" -- "$cur") $(compgen -d -- "$cur")) ;;
    diff)
        COMPREPLY=($(compgen -f -- "$cur")) ;;
    fixture)
        case $prev in
        fixture) COMPREPLY=($(compgen -W "serve check --help" -- "$cur")); return ;;
        --time) COMPREPLY=($(compgen -W "virtual real" -- "$cur")); return ;;
        --dnsmasq) COMPREPLY=($(compgen -c -- "$cur")); return ;;
        --listen | --port) return ;;
        esac
        local words
        words="$(_mxttl_list scenarios) --listen --port --time --dnsmasq"
        COMPREPLY=($(compgen -W "$words" -- "$cur") $(compgen -f -X '!*.scn' -- "$cur")) ;;
    help)
        COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
    esac
}
complete -F _mxttl mxttl
