# bash completion for mockint (installed by 'make install' into
# share/bash-completion/completions/mockint).
_mockint()
{
	local cur prev words cword
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmds="register login logout whoami passwd devices interview room history stats questions"
	local global="--server --ca --color --help --version"
	local i cmd="" sub=""

	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--server|--ca|--color) ((i++)) ;;
		-*) ;;
		*)
			if [[ -z $cmd ]]; then
				cmd=${COMP_WORDS[i]}
			elif [[ -z $sub ]]; then
				sub=${COMP_WORDS[i]}
			fi
			;;
		esac
	done
	case $prev in
	--color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	--role|-r)
		if [[ $cmd == room ]]; then
			COMPREPLY=($(compgen -W "candidate interviewer" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "candidate interviewer either" -- "$cur"))
		fi
		return ;;
	--difficulty|-d) COMPREPLY=($(compgen -W "easy medium hard" -- "$cur")); return ;;
	--format|-f) COMPREPLY=($(compgen -W "md json csv" -- "$cur")); return ;;
	--ca|--output|-o) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--server|--category|-c|--limit|-n|--before) return ;;
	esac
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$cmds $global" -- "$cur"))
		return
	fi
	local opts="--help"
	case $cmd in
	interview) opts="--role --category --difficulty --quiet --flash --help" ;;
	room)
		[[ -z $sub ]] && { COMPREPLY=($(compgen -W "create join" -- "$cur")); return; }
		opts="--role --quiet --flash --help" ;;
	history)
		[[ -z $sub && $cur != -* ]] && { COMPREPLY=($(compgen -W "show export" -- "$cur")); return; }
		case $sub in
		export) opts="--format --output --help" ;;
		show) opts="--color --help" ;;
		*) opts="--limit --before --color --help" ;;
		esac ;;
	devices)
		[[ -z $sub && $cur != -* ]] && { COMPREPLY=($(compgen -W "revoke" -- "$cur")); return; }
		;;
	logout) opts="--all --help" ;;
	stats) opts="--color --help" ;;
	questions) opts="--category --difficulty --color --help" ;;
	esac
	COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -F _mockint mockint
