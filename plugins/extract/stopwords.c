/* stopwords.c - the function words of the nine languages the extract stage reads.
 *
 * Plain data: one space-separated, lower-case list per language, in the
 * order of the SIFT_L_* bits. Keywords skip these words, entity spans drop
 * them at a sentence start, and author names may not contain them. The
 * lists are general vocabulary; lexicon.c turns them into a hash table.
 * SPDX-License-Identifier: MIT
 */
#include "extract.h"

/* English */
static const char en[] =
    "a about above after again against all almost also although am among an and another "
    "any anyone are around as at back be became because become been before being below "
    "between both but by came can cannot could did do does doing done down during each "
    "either else even ever every few for from further get gets got had has have having he "
    "her here hers herself him himself his how however i if in including into is it its "
    "itself just last least less like made make many may me might more most much must my "
    "myself near neither never new no nor not now of off often on once one only onto or "
    "other others our ours ourselves out over own per perhaps put rather really said same "
    "say says see seen several shall she should since so some still such than that the "
    "their theirs them themselves then there these they this those though through thus to "
    "together too toward towards two under unless until up upon us very via was we well "
    "were what whatever when where whether which while who whom whose why will with within "
    "without would yet you your yours yourself yourselves according told also mr mrs ms "
    "it's don't didn't doesn't isn't wasn't can't won't";

/* German */
static const char de[] =
    "aber alle allem allen aller alles als also am an andere anderen auch auf aus bei beim "
    "bereits bin bis bisher bist da dabei damit dann darauf darum das dass daß dem den denen "
    "denn der deren des deshalb dessen die dies diese diesem diesen dieser dieses doch dort "
    "du durch ein eine einem einen einer eines einige er es etwa euch für gegen gewesen hat "
    "hatte hatten haben hier hin ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im immer in "
    "ins ist ja jedoch jetzt kann kein keine können laut man mehr mit muss müssen nach "
    "nicht nichts noch nun nur ob oder ohne schon sehr sein seine seinem seinen seiner "
    "seit sich sie sind so soll sollen sondern sowie über um und uns unter vom von vor "
    "wann war waren warum was weil wenn wer werden wie wieder wir wird wo wurde wurden "
    "zu zum zur zwar zwei zwischen sagte sagt heute gestern";

/* French */
static const char fr[] =
    "a ai alors au aucun aussi autre aux avait avaient avant avec avoir c ce ceci cela "
    "celle celles celui cependant certains ces cet cette chez comme comment contre d dans "
    "de depuis des deux dit doit donc dont du elle elles en encore entre est et étaient "
    "était été être eu fait faire font il ils j je l la le les leur leurs lors lui m ma "
    "mais me même mes moi mon n ne ni nos notre nous on ont ou où par parce pas pendant "
    "peu peut plus pour pourquoi qu quand que quel quelle quelques qui quoi s sa sans se "
    "selon ses si son sont sous sur ta te tes toi ton tous tout toute toutes très tu un une "
    "vers vos votre vous y après déjà aujourd'hui hier c'est qu'il";

/* Spanish */
static const char es[] =
    "a al algo algunos ante antes aquel aquella como con contra cual cuando de del desde "
    "donde dos durante e el ella ellas ellos en entre era eran es esa esas ese eso esos "
    "esta estaba estado estas este esto estos está están fue fueron ha había han hasta hay "
    "hoy la las le les lo los más me mi muy nada ni no nos nosotros o otra otras otro "
    "otros para pero poco por porque que quien se sea ser si sido sin sobre son su sus "
    "también tan tanto te tiene tienen todo todos tras tu un una unas uno unos y ya yo "
    "según dijo ayer";

/* Italian */
static const char it[] =
    "a abbiamo agli ai al alla alle allo anche ancora avere aveva avevano c che chi ci "
    "come con contro cui da dagli dai dal dalla dalle dallo degli dei del della delle "
    "dello di dopo dove due e è ed era erano essere fa gli ha hanno i il in io la le lei "
    "lo loro lui ma mi molto ne negli nei nel nella nelle nello noi non nostro o ogni per "
    "perché più poi prima qua quale quando quanto quella quelle quelli quello questa "
    "queste questi questo se secondo sei si sia siamo sono sta stato su sua sue sugli sui "
    "sul sulla suo suoi tra tutti tutto un una uno già ieri oggi ha detto";

/* Portuguese */
static const char pt[] =
    "a ao aos as até com como contra da das de dela dele deles depois do dos e ela elas "
    "ele eles em entre era eram essa essas esse esses esta estas este estes está estão "
    "eu foi foram há isso isto já lhe mais mas me mesmo meu minha muito na nas nem no "
    "nos nós o os ou para pela pelas pelo pelos por porque quando que quem se sem ser "
    "seu seus sua suas são também te tem têm ter um uma umas uns você disse segundo "
    "ontem hoje";

/* Dutch */
static const char nl[] =
    "aan al als bij daar dan dat de deze die dit door een en er geen had hadden heb "
    "hebben heeft hem het hier hij hoe hun ik in is je kan kon kunnen maar me meer men "
    "met mij na naar niet nog nu of om omdat ons onder ook op over te tegen toch tot tussen "
    "u uit van veel voor waren was wat we wel werd werden wie wij wordt worden zal ze "
    "zei zich zij zijn zo zoals zou zullen volgens gisteren vandaag";

/* Russian */
static const char ru[] =
    "а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да "
    "даже для до его ее её если есть еще ещё же за здесь и из или им их к как какой когда "
    "кто ли либо между меня мне может мы на над нас не него нее неё нет ни них но ну о об "
    "однако он она они оно от по под после при про с со так также такой там то тоже только "
    "том тот ты у уже хотя чего чем что чтобы эта эти это этого этой этом этот я заявил "
    "сообщил сказал вчера сегодня";

const char *const sift_stop_lists[] = {en, de, fr, es, it, pt, nl, ru, NULL};

/* Frequent words each language has and its close neighbours (Catalan,
 * Galician, Afrikaans, Ukrainian, the Scandinavian languages) lack; the
 * language detector trusts a stop-word vote only when these back it. */
const char *const sift_marker_lists[] = {
    "the and of is was with",          /* en */
    "und ist nicht ein eine der das",  /* de */
    "une est dans pour avec",          /* fr */
    "los las del y una pero",          /* es */
    "il della che sono gli una",       /* it */
    "não uma são em ao pelo",          /* pt */
    "het een niet zijn ook",           /* nl */
    "что это был была как он она его", /* ru */
    NULL,
};
