/* defaults.c - the default pattern lists of the boilerplate stage, one per kind.
 *
 * Each list is the config text default of one SIFT_OPT_STRLIST option
 * (prompt_patterns, caption_patterns, ...), so a config can replace a list,
 * and extra_patterns can add to any of them. The patterns are PCRE2,
 * compiled caseless with Unicode properties (patterns.c); they are written
 * without backslashes and double quotes so they read the same in C, in the
 * config and in docs/stages/boilerplate.md: [[:<:]] and [[:>:]] are word
 * boundaries, [.] a literal dot. Anchored patterns (^...$) describe whole
 * lines; the others may match anywhere in a line. The words are the prompts
 * of news pages in English, German, French, Spanish, Italian, Portuguese,
 * Dutch, Russian, Japanese and Korean; none names a site.
 * SPDX-License-Identifier: MIT
 */
#include "boilerplate.h"

#define Q(s) "\"" s "\""
#define END "[[:space:][:punct:]›»|>0-9]*$"

/* Whole-line prompts: share, subscribe, login, comments, navigation, page
 * counters and stray numbers; and prefixes such as "Read more:". */
const char bp_def_prompt[] = "["
    Q("^[0-9]*[[:space:]]*(advertisement|advertising|advert|ads?|sponsored( content)?|promoted|"
      "paid (content|post)|share( this( article| story| post| page)?)?( (on|via|with|to) [[:alpha:]]+)?|"
      "share all sharing options|tweet|e-?mail|print|pin( it)?|whatsapp|facebook|twitter|"
      "linkedin|reddit|pinterest|flipboard|messenger|pocket|copy( the)? link|"
      "subscribe( now| today| here)?|sign ?(in|up|out)|log ?(in|out)|register|my account|"
      "comments?|repl(y|ies)|read more|continue reading( the main story)?|load more|"
      "show more|see more|view (all|more|comments|gallery)|next( story| article| post| page)?|"
      "previous( story| article| post| page)?|prev|back( to top)?|top|home|menu|search|close|"
      "skip to (main )?content.*|related( articles| stories| posts| content| topics)?|"
      "recommended( for you)?|trending( now)?|popular|most (read|popular|viewed|shared|recent)|"
      "you (may|might) (also )?(like|enjoy)|more (stories|news|videos|articles)|"
      "more (from|on|in|like this) .{1,40}|latest( news| stories| videos)?|follow( us)?|"
      "newsletters?|cookie (settings|policy|preferences)|accept( all)?( cookies)?|"
      "privacy( policy)?|terms( of use| of service)?|contact( us)?|about( us)?|photos?|"
      "images?|videos?|gallery|watch( live| now| video)?|listen( now)?|play|replay|loading|"
      "tags?|topics|filed under|categories|report (an error|this)|feedback)" END) ","
    Q("^(anzeige|werbung|teilen|drucken|kommentare?|weiterlesen|mehr (lesen|zum thema)|"
      "anmelden|abonnieren|publicité|partager|imprimer|commentaires?|lire la suite|voir plus|"
      "abonnez-vous|se connecter|publicidad|anuncio|compartir|imprimir|comentarios?|leer más|"
      "ver más|suscríbete|iniciar sesión|pubblicità|condividi|stampa|commenti|leggi di più|"
      "iscriviti|accedi|publicidade|compartilhe|compartilhar|partilhar|comentários?|"
      "saiba mais|assine|entrar|advertentie|delen|reacties|lees meer|inloggen|реклама|"
      "поделиться|комментарии|читать далее|подписаться|подпишитесь|войти|регистрация|広告|"
      "スポンサーリンク|シェア|ツイート|コメント|続きを読む|もっと見る|ホーム|メニュー|検索|"
      "ログイン|新規登録|前の記事|次の記事|関連記事|광고|공유|댓글|로그인)" END) ","
    Q("^(page )?[0-9]{1,4}( ?(/|of|von|de|sur|di|из|van) ?[0-9]{1,4})?$") ","
    Q("^[0-9.,]+[km]? ?(shares|likes|views|comments|reads)$") ","
    Q("^(read (more|next|also)|also read|related( articles?| stories| coverage)?|see (also|more)|"
      "more|watch|listen|recommended|don.t miss|must read|trending|editor.s picks?|"
      "lesen sie (auch|mehr)|mehr (dazu|zum thema)|lire aussi|à lire aussi|lea también|"
      "lee también|leia (também|mais)|veja também|leggi anche|lees ook|читайте (также|ещё|еще)|"
      "こちらの記事も|関連記事)[[:space:]]*[:：›»>|–—-]") ","
    Q("^(click|tap) (here|to|the)[[:>:]]|^(clique|cliquez|haga clic|klicken sie|clicca|klik)[[:>:]]") ","
    Q("[(]opens in (a )?new (window|tab)[)]") ","
    Q("^((share( this( article| story| post| page)?)?|artikel teilen|teilen|partager|compartir|"
      "compartilhar|condividi|delen|поделиться)[[:space:]]*:?[[:space:]]*)?([[(]?(facebook|twitter|x|"
      "whatsapp|e-?mail|linkedin|reddit|pinterest|telegram|messenger|flipboard|threads|bluesky|"
      "print|sms|f|in|copy( the)? link)[])]?[[:space:]/|·•,]*){2,}$") ","
    /* three entries, not one alternation: each gets its own filters (patterns.c) */
    Q("^advertisement[[:space:]]*[-–—:].{0,40}$") "," Q("^home[[:space:]]*[›»>/|]") ","
    Q("^.{1,40}[[:space:]][›»>]$")
    "]";

/* Photo captions. */
const char bp_def_caption[] = "["
    Q("[(](image|photo|picture|pic|foto|bild|credit|source|photograph|video)s?[[:space:]]*:[^)]*[)][[:space:]]*$") ","
    Q("^(image|photo|picture|video) caption[[:>:]]") ","
    Q("^in this (photo|image|picture|file photo|undated photo|handout)") ","
    Q("^(a |an |the )?(file |undated |handout )?(photo|picture|image|pic|photograph|screenshot) (shows|of|taken|from)[[:>:]]") ","
    Q("^(caption|légende|pie de foto|bildunterschrift|подпись)[[:space:]]*:") ","
    Q("^(fig(ure)?[.]?|abb[.]|рис[.])[[:space:]]*[0-9]+") ","
    Q("[.!?]['”’)]?[[:space:]]+(photo|foto|picture|image|bild|pic)s?( credits?)?[[:space:]]*:[^.!?:]{2,80}$") ","
    Q("[^[:space:]][[:space:]]+(photo|foto|picture|image|bild|pic)s?[[:space:]]*:[^/.!?:]{2,60}/[^/.!?:]{2,60}$")
    "]";

/* Bylines and author roles. */
const char bp_def_byline[] = "["
    Q("^(written|reported|posted|words|story|text|reporting|compiled|edited) ?by[[:space:]]*[:：]?[[:space:]]*[[:alpha:]]") ","
    Q("^(by|von|par|por|door|автор|текст)[[:space:]]*[:：]?[[:space:]]+(?![[:alpha:]]+(ing|ant|ando|endo)[[:>:]])[[:alpha:]]") ","
    Q("^(by|von|par|por|door)$") ","
    Q("^[[:alpha:]][[:alpha:].' -]{2,40}[[:space:]]*[,|–—-][[:space:]]*(staff|senior|contributing|news|associate)? ?(writer|reporter|contributor|columnist|correspondent|editor)s?$") ","
    Q("^(opinion |guest |staff )?(columnist|contributor|correspondent|staff writer)$")
    "]";

/* Picture credits and agencies. */
const char bp_def_credit[] = "["
    Q("^(photo|image|picture|pic|foto|bild|credit|source|photograph|video|фото|写真|画像|출처)s?( credits?)?[[:space:]]*[:：]") ","
    Q("^(photos?|images?|pictures?|video) (by|courtesy( of)?|via|credit)[[:>:]]") ","
    Q("[[:<:]](credit[.][.][.]|image copyright|photo credit|image credit|picture credit)") ","
    Q("[[:<:]](getty( images)?|shutterstock|istock(photo)?|ap photo|afp|reuters|epa(-efe)?|"
      "associated press|pa wire|pa media|alamy|dpa|xinhua|imago|picture alliance)[[:space:])]*$")
    "]";

#define MONTH "(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t|tember)?|" \
    "oct(ober)?|nov(ember)?|dec(ember)?|januar|februar|märz|mai|juni|juli|oktober|dezember|" \
    "janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|" \
    "febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|" \
    "gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|" \
    "fevereiro|março|maio|junho|julho|setembro|outubro|dezembro|januari|februari|maart|mei|" \
    "augustus|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"

/* Date lines: a line is a date line when these cover a digit and leave at
 * most three other words (patterns.c), so "Published on 20 May 2019, 10:15"
 * is one and "June 9 -- Arena, Tampa, FL" is not. */
const char bp_def_date[] = "["
    Q("[0-9]{1,4}[./-][0-9]{1,2}[./-][0-9]{2,4}|[0-9]{4}-[0-9]{2}-[0-9]{2}([t ][0-9:.]+(z|[+-][0-9:]+)?)?") ","
    Q("[[:<:]]" MONTH "[[:>:]][.]?[[:space:]]+[0-9]{1,2}(st|nd|rd|th)?(,?[[:space:]]+[0-9]{4})?") ","
    Q("[0-9]{1,2}(st|nd|rd|th|[.])?[[:space:]]+(de[[:space:]]+)?" MONTH "[[:>:]][.]?(,?[[:space:]]+(de[[:space:]]+)?[0-9]{4})?") ","
    Q("[[:<:]]" MONTH "[[:>:]][.]?[[:space:]]+[0-9]{4}") ","
    Q("[0-9]{4}年[0-9]{1,2}月([0-9]{1,2}日)?|[0-9]{1,2}月[0-9]{1,2}日|[0-9]+(分|時間|日)前") ","
    Q("[0-9]{1,2}[:.h][0-9]{2}([:.][0-9]{2})?([[:space:]]*(am|pm|a[.]m[.]|p[.]m[.]|uhr))?"
      "([[:space:]]*[(]?(gmt|utc|est|edt|cst|cdt|pst|pdt|cet|cest|bst|ist|hkt|jst|msk|et|pt|mez|mesz)[)]?)?") ","
    Q("[0-9]+ (second|minute|min|hour|hr|day|week|month|year)s? ago|[0-9]+ [[:alpha:]]+ назад") ","
    Q("[[:<:]](vor|hace|há|il y a) [0-9]+ [[:alpha:]]+") ","
    Q("^(published|updated|posted|last updated|created|modified|date|veröffentlicht|aktualisiert|"
      "publié|mis à jour|publicado|actualizado|atualizado|pubblicato|aggiornato|gepubliceerd|"
      "bijgewerkt|опубликовано|обновлено|投稿日|更新日|公開日)[[:>:]]( on| am| le| el| em| il| op)?[[:space:]]*:?") ","
    Q("[[:<:]](monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|"
      "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|"
      "vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo)[[:>:]]")
    "]";

/* Site text at any length: cookies, rights, consent, newsletters, ad blockers.
 * Alternatives are spelled out ("by clicking|by continuing") because an
 * entry starting with literals runs only on lines holding one (patterns.c). */
const char bp_def_site[] = "["
    Q("[[:<:]]cookies?[[:>:]].{0,80}[[:<:]](site|website|browser|consent|experience|settings|accept|einstellungen|navigat[[:alpha:]]*)") ","
    Q("[[:<:]](we use|we are using|this site uses|this website uses|our site uses|our website uses|"
      "utilisons|utilise|verwenden|verwendet|utilizamos|utiliza|usamos|utilizziamo|gebruiken|gebruikt|"
      "используем|использует) ([[:alpha:]]+ )?(des |les |i |los |os )?cookies?") ","
    Q("[[:<:]](all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|"
      "todos os direitos reservados|tutti i diritti riservati|alle rechten voorbehouden|все права защищены)") ","
    Q("無断転載") ","
    Q("^©|^copyright[[:>:]]|^[(]c[)] [0-9]{4}") ","
    Q("[[:<:]](ad blocker|ad-blocker|adblock|enable javascript|javascript is disabled|browser is not supported|browser is out of date)") ","
    Q("[[:<:]](your personal data|your data|your personal information|your information|your email address|"
      "your e-mail address) (will|is|are|may)[[:>:]]") ","
    Q("[[:<:]](save my name|by clicking|by continuing|by submitting|by subscribing|by signing up|by registering|by using this|by using our)[[:>:]]") ","
    Q("[[:<:]](terms of use|terms of service|terms and conditions|privacy policy|privacy statement|privacy notice|"
      "datenschutzerklärung|politique de confidentialité|política de privacidad|política de privacidade)[[:>:]]") ","
    Q("[[:<:]](sign up|subscribe|register) (for|to) (our|the|my)[[:>:]].{0,40}(newsletter|e-?mail|updates|alerts)") ","
    Q("[[:<:]](follow us on|comment policy|comments policy|comment guidelines|submission guidelines|community guidelines|community standards)") ","
    Q("[[:<:]](subscribe|sign up|sign in|log in|login|register) (now |today |here )?to (post|leave|add|read|continue|comment)") ","
    Q("[[:<:]](already a subscriber|already have an account|already registered|comments from subscribers)") ","
    Q("[[:<:]](we may earn|we may receive|we earn a commission|affiliate link|affiliate commission|if you click|if you buy|if you purchase)")
    "]";

/* Starts of comment sections; what follows them is not the article. */
const char bp_def_comment[] = "["
    Q("[[:<:]](leave a (comment|reply)|post a (comment|reply)|add a (comment|reply)|write a (comment|reply)|join the (conversation|discussion))[[:>:]]") ","
    Q("^[0-9]+ (responses|comments|replies|reactions|kommentare|commentaires|comentarios|comentários|"
      "commenti|reacties|комментари[[:alpha:]]*) (to|on|zu|à|para|a|op|к)[[:>:]]") ","
    Q("[^[:space:]].{0,40} (says|said|wrote|schreibt|écrit|escribió|disse|scrive|пишет):$") ","
    Q("^(comments?|kommentare|commentaires|comentarios|comentários|commenti|reacties|комментарии|コメント)"
      "[[:space:]]*[(][0-9]+[)]$|^[(][0-9]+[)][[:space:]]*(comments?|kommentare|commentaires|comentarios)$")
    "]";
