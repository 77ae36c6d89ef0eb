# bash completion for heraldctl (installed as bash-completion/completions/heraldctl).
_heraldctl() {
  local cur prev words cword
  _init_completion 2>/dev/null || { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; }
  local subcommands="status jobs job retry cancel publish-now resolve pause resume reload plugins accounts watch validate preview connect"
  local sub= w
  for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case " $subcommands " in *" $w "*) sub=$w; break ;; esac
  done
  case $prev in
    --socket|-c|--config|--credentials|--client-secret-file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --state) COMPREPLY=($(compgen -W "pending running published failed cancelled unknown" -- "$cur")); return ;;
  esac
  if [[ -z $sub ]]; then
    COMPREPLY=($(compgen -W "$subcommands --socket --json --config --help" -- "$cur"))
    return
  fi
  case $sub in
    jobs) COMPREPLY=($(compgen -W "--state --campaign --account --platform --member --from --to --limit --cursor --json" -- "$cur")) ;;
    pause|resume) COMPREPLY=($(compgen -W "all platform account campaign --reason" -- "$cur")) ;;
    resolve) COMPREPLY=($(compgen -W "published retry failed cancelled --remote-id --url --note" -- "$cur")) ;;
    connect) COMPREPLY=($(compgen -W "facebook/ instagram/ youtube/ --credentials --client-id --client-secret-file --auth-url --token-url --scope --page --login-hint --port --open --timeout" -- "$cur")) ;;
    validate|preview) COMPREPLY=($(compgen -f -W "--from --to --target --member --format --output" -- "$cur")) ;;
    *) COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
  esac
}
complete -F _heraldctl heraldctl
