# bash completion for hvdctl                                -*- shell-script -*-
#
# Commands and options are read from hvdctl's own help (`hvdctl --help`,
# `hvdctl help COMMAND`), so the completion follows the installed hvdctl.
# An argument whose name in the command's synopsis is DOMAIN, POOL or NETWORK
# completes the names of the connection (-c URI on the line, else
# $HVD_DEFAULT_URI) from `hvdctl -c URI list|pool-list|net-list --all`
# (with --name where the lister has it, else its table's first column);
# FORMAT completes vmware-vmx, DEST_URI (migrate) the schemes vpx:// and
# esx://, FILE file names. Without a URI
# nothing connects.

# Words of the line with the ':' that bash splits URIs at joined back, into
# the arrays _hvdctl_words and index _hvdctl_cword.
_hvdctl_join_words()
{
    _hvdctl_words=()
    _hvdctl_cword=0
    local i w n
    for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
        w=${COMP_WORDS[i]}
        n=${#_hvdctl_words[@]}
        if ((n > 0)) && [[ $w == :* || ${_hvdctl_words[n - 1]} == *: ]] && ((i > 1)); then
            _hvdctl_words[n - 1]+=$w
        else
            _hvdctl_words+=("$w")
        fi
        ((i == COMP_CWORD)) && _hvdctl_cword=$((${#_hvdctl_words[@]} - 1))
    done
}

# COMPREPLY from compgen's lines (split at $IFS as compgen -W is)
_hvdctl_reply()
{
    mapfile -t COMPREPLY < <(compgen "$@")
}

# The names LISTER (list, pool-list, net-list) gives on URI, one a line:
# with --name where the lister has it, else the first column of its table
# (after the header and the rule; columns are 3 spaces apart, a name may hold
# single spaces).
_hvdctl_names()
{
    local prog=$1 uri=$2 lister=$3
    if "$prog" help "$lister" 2>/dev/null | head -n 1 | grep -qF -- '--name'; then
        "$prog" -c "$uri" "$lister" --all --name 2>/dev/null
    else
        "$prog" -c "$uri" "$lister" --all 2>/dev/null | sed -E '1,2d; s/^ //; s/ {2,}.*$//; /^$/d'
    fi
}

_hvdctl()
{
    local prog=${COMP_WORDS[0]} cur prev
    _hvdctl_join_words
    cur=${_hvdctl_words[_hvdctl_cword]}
    prev=${_hvdctl_words[_hvdctl_cword - 1]}
    COMPREPLY=()

    # Global options before the command; -c and -d take an argument.
    local i w uri=${HVD_DEFAULT_URI-} cmd="" cmd_at=0
    for ((i = 1; i < _hvdctl_cword; i++)); do
        w=${_hvdctl_words[i]}
        case $w in
            -c | --connect) uri=${_hvdctl_words[i + 1]-}; ((i++)) ;;
            --connect=*) uri=${w#--connect=} ;;
            -d | --debug) ((i++)) ;;
            --) ;;
            -*) ;;
            *) cmd=$w; cmd_at=$i; break ;;
        esac
    done

    if [[ -z $cmd ]]; then
        case $prev in
            -c | --connect)
                _hvdctl_reply -W 'esx:// gsx:// vpx://' -- "$cur"
                compopt -o nospace 2>/dev/null
                return
                ;;
            -d | --debug)
                _hvdctl_reply -W '1 2 3 4' -- "$cur"
                return
                ;;
        esac
        local usage
        usage=$("$prog" --help 2>/dev/null)
        if [[ $cur == -* ]]; then
            _hvdctl_reply -W "$(grep -oE -- '(^|[ ,])--?[a-zA-Z][a-zA-Z-]*' <<<"$usage" |
                tr -d ' ,' | sort -u)" -- "$cur"
        else
            _hvdctl_reply -W "help $(sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p' \
                <<<"$usage")" -- "$cur"
        fi
        return
    fi

    if [[ $cmd == help ]]; then
        ((_hvdctl_cword == cmd_at + 1)) || return
        _hvdctl_reply -W "$("$prog" --help 2>/dev/null |
            sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p')" -- "$cur"
        return
    fi

    # The command's synopsis: "hvdctl CMD POSITIONAL... [--opt ARG]..."
    local help synopsis
    help=$("$prog" help "$cmd" 2>/dev/null) || return
    synopsis=$(head -n 1 <<<"$help")
    synopsis=${synopsis#hvdctl "$cmd"}
    local opts_with_arg positional
    opts_with_arg=$(grep -oE -- '--[a-z][a-z-]* [^]-][^] ]*' <<<"$synopsis" | cut -d' ' -f1)
    # positional arguments come first, before any [optional] part
    positional=$(grep -oE '[A-Z][A-Z_]*' <<<"${synopsis%%[*}")

    if [[ $cur == -* ]]; then
        _hvdctl_reply -W "$(grep -oE -- '--[a-z][a-z-]*' <<<"$help" | sort -u)" -- "$cur"
        return
    fi
    if grep -qxF -- "$prev" <<<"$opts_with_arg"; then
        return
    fi

    # Which positional argument is being completed?
    local n=0
    for ((i = cmd_at + 1; i < _hvdctl_cword; i++)); do
        w=${_hvdctl_words[i]}
        if [[ $w == -* ]]; then
            grep -qxF -- "$w" <<<"$opts_with_arg" && ((i++))
            continue
        fi
        ((n++))
    done
    local what
    what=$(sed -n "$((n + 1))p" <<<"$positional")
    case $what in
        DOMAIN | POOL | NETWORK)
            # the names virsh's listing commands give, of the connection
            [[ -n $uri ]] || return
            local lister=list
            [[ $what == POOL ]] && lister=pool-list
            [[ $what == NETWORK ]] && lister=net-list
            local IFS=$'\n'
            _hvdctl_reply -W "$(_hvdctl_names "$prog" "$uri" "$lister")" -- "$cur"
            ;;
        FORMAT)
            _hvdctl_reply -W 'vmware-vmx' -- "$cur"
            ;;
        DEST_URI)
            _hvdctl_reply -W 'vpx:// esx://' -- "$cur"
            compopt -o nospace 2>/dev/null
            ;;
        FILE)
            local IFS=$'\n'
            _hvdctl_reply -f -- "$cur"
            compopt -o filenames 2>/dev/null
            ;;
    esac
}
complete -F _hvdctl hvdctl
