/**
 * Outside text an attacker (or an unlucky user) could put in any field the action echoes: a
 * task's stoppedReason, an event, a deployment reason, a CodeDeploy message, a name, a valueFrom.
 */
export const HOSTILE: Record<string, string> = {
  'command after LF': 'stopped\n::stop-commands::pwned',
  'command after CR': 'stopped\r::add-mask::hunter2',
  'command after CRLF': 'stopped\r\n  ::error title=x::forged',
  'command after %0A': 'stopped%0A::warning::forged',
  'command at the start': '::set-output name=result::succeeded',
  'legacy command': 'fine ##[add-mask]hunter2',
  backticks: 'x` | <img src=x> [verify your account](//evil.example/login) @acme/security-team `:AWSPREVIOUS:',
  'backtick runs': '``` `` ` fenced',
  pipes: 'a | b || c \\| d',
  img: '<img src=x onerror=alert(1)>',
  script: '<script>alert(1)</script>',
  'markdown link': '[click](https://evil.example/login) ![p](https://evil.example/p.png)',
  'bare url': 'see https://evil.example/x and www.evil.example',
  mention: '@acme/security-team and @octocat, mail a@b.example',
  'issue reference': 'see #1 and acme/infra#2',
  'comment end': '--> <!-- x',
  'heading and list': '# big\n- item\n1. one',
  emphasis: '**bold** _it_ ~~gone~~',
  ansi: '\u001b[2K\u001b[1Aerased \u001b[8mhidden',
  'long line': 'A'.repeat(5000)
}
