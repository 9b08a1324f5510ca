"""Stop words: the little words of a language that say nothing of what a theme is about, left out
of keywords and names (``labels``) and of the clustering's keyword view (English only there).

English is our own short list; French, German, Spanish, Italian, Dutch and Portuguese are the
Snowball lists (with German "dass", "wurde", "wurden", "worden" and French "les", "ils" added);
Welsh has no Snowball list and is spaCy's Welsh list without its content words, plus the
function words at the top of Techiaith's Welsh word-frequency list. Words that are English words
too (``ALSO_ENGLISH``) are stop words only in a text that reads as that language, by its other
stop words (``labels._foreign_stops``).
"""
from __future__ import annotations

# A small English stop list: enough for keywords of short statements, no download needed.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are aren as at be because been before
being below between both but by can cannot could couldn did didn do does doesn doing don down
during each either else etc even ever every few for from further get gets getting got had hadn
has hasn have haven having he her here hers herself him himself his how however i if in into is
isn it its itself just let ll me might more most much must mustn my myself need needs no nor not
now of off often on once one only or other others ought our ours ourselves out over own per
quite rather re really s same say says shall shan she should shouldn so some such t than that
the their theirs them themselves then there these they this those though through to too under
until up upon us use used using ve very via want wants was wasn way we well were weren what when
where whether which while who whom whose why will with within without won would wouldn yet you
your yours yourself yourselves
""".split())

# Stop words of the other languages our users meet, applied to every text (a German note in an
# English study makes no "die" or "ich" keyword): French, German, Spanish, Italian, Dutch and
# Portuguese are the Snowball project's lists (snowballstem.org; the lists PostgreSQL and NLTK
# ship), with Spanish "vosotros" spelt right, French "les" and "ils" (missing from Snowball's
# list, so "Les managers" read as Spanish), German "dass" beside "daß" and the past of the
# auxiliary "werden" (wurde, wurden, worden) beside its other forms; Welsh has no
# Snowball list, so this one is spaCy's Welsh list less its content words (amser, byd, mawr,
# meddwl, peth) and with the function words among the most frequent written Welsh words of
# Bangor University's Techiaith (geiriau-mwyaf-aml) added: articles, prepositions, pronouns,
# conjunctions, forms of "bod", and "angen", "eisiau" as English "need", "want" are.
OTHER_STOP_WORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in {
    "fr": """
au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes
moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un
une vos votre vous c d j l à m n s t y été étée étées étés étant étante étants étantes suis es
est sommes êtes sont serai seras sera serons serez seront serais serait serions seriez
seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez
soient fusse fusses fût fussions fussiez fussent ayant ayante ayantes ayants eu eue eues eus
ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait aurions auriez
auraient avais avait avions aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient
eusse eusses eût eussions eussiez eussent
""",
    "de": """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
anderm andern anderr anders auch auf aus bei bin bis bist da damit dann der den des dem die
das daß dass derselbe derselben denselben desselben demselben dieselbe dieselben dasselbe dazu
dein deine deinem deinen deiner deines denn derer dessen dich dir du dies diese diesem diesen
dieser dieses doch dort durch ein eine einem einen einer eines einig einige einigem einigen
einiger einiges einmal er ihn ihm es etwas euer eure eurem euren eurer eures für gegen gewesen
hab habe haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren ihrer ihres
euch im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann
kein keine keinem keinen keiner keines können könnte machen man manche manchem manchen mancher
manches mein meine meinem meinen meiner meines mit muss musste nach nicht nichts noch nun nur
ob oder ohne sehr sein seine seinem seinen seiner seines selbst sich sie ihnen sind so solche
solchem solchen solcher solches soll sollte sondern sonst über um und uns unse unsem unsen
unser unses unter viel vom von vor während war waren warst was weg weil weiter welche welchem
welchen welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte
würde würden wurde wurden worden zu zum zur zwar zwischen
""",
    "es": """
de la que el en y a los del se las por un para con no una su al lo como más pero sus le ya o
este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos
durante todos uno les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo
otro otras otra él tanto esa estos mucho quienes nada muchos cual poco ella estar estas
algunas algo nosotros mi mis tú te ti tu tus ellas nosotras vosotros vosotras os mío mía míos
mías tuyo tuya tuyos tuyas suyo suya suyos suyas nuestro nuestra nuestros nuestras vuestro
vuestra vuestros vuestras esos esas estoy estás está estamos estáis están esté estés estemos
estéis estén estaré estarás estará estaremos estaréis estarán estaría estarías estaríamos
estaríais estarían estaba estabas estábamos estabais estaban estuve estuviste estuvo estuvimos
estuvisteis estuvieron estuviera estuvieras estuviéramos estuvierais estuvieran estuviese
estuvieses estuviésemos estuvieseis estuviesen estando estado estada estados estadas estad he
has ha hemos habéis han haya hayas hayamos hayáis hayan habré habrás habrá habremos habréis
habrán habría habrías habríamos habríais habrían había habías habíamos habíais habían hube
hubiste hubo hubimos hubisteis hubieron hubiera hubieras hubiéramos hubierais hubieran hubiese
hubieses hubiésemos hubieseis hubiesen habiendo habido habida habidos habidas soy eres es
somos sois son sea seas seamos seáis sean seré serás será seremos seréis serán sería serías
seríamos seríais serían era eras éramos erais eran fui fuiste fue fuimos fuisteis fueron fuera
fueras fuéramos fuerais fueran fuese fueses fuésemos fueseis fuesen sintiendo sentido sentida
sentidos sentidas siente sentid tengo tienes tiene tenemos tenéis tienen tenga tengas tengamos
tengáis tengan tendré tendrás tendrá tendremos tendréis tendrán tendría tendrías tendríamos
tendríais tendrían tenía tenías teníamos teníais tenían tuve tuviste tuvo tuvimos tuvisteis
tuvieron tuviera tuvieras tuviéramos tuvierais tuvieran tuviese tuvieses tuviésemos tuvieseis
tuviesen teniendo tenido tenida tenidos tenidas tened
""",
    "it": """
ad al allo ai agli all agl alla alle con col coi da dal dallo dai dagli dall dagl dalla dalle
di del dello dei degli dell degl della delle in nel nello nei negli nell negl nella nelle su
sul sullo sui sugli sull sugl sulla sulle per tra contro io tu lui lei noi voi loro mio mia
miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra nostri nostre vostro vostra vostri
vostre mi ti ci vi lo la li le gli ne il un uno una ma ed se perché anche come dov dove che
chi cui non più quale quanto quanti quanta quante quello quelli quella quelle questo questi
questa queste si tutto tutti a c e i l o ho hai ha abbiamo avete hanno abbia abbiate abbiano
avrò avrai avrà avremo avrete avranno avrei avresti avrebbe avremmo avreste avrebbero avevo
avevi aveva avevamo avevate avevano ebbi avesti ebbe avemmo aveste ebbero avessi avesse
avessimo avessero avendo avuto avuta avuti avute sono sei è siamo siete sia siate siano sarò
sarai sarà saremo sarete saranno sarei saresti sarebbe saremmo sareste sarebbero ero eri era
eravamo eravate erano fui fosti fu fummo foste furono fossi fosse fossimo fossero essendo
faccio fai facciamo fanno faccia facciate facciano farò farai farà faremo farete faranno farei
faresti farebbe faremmo fareste farebbero facevo facevi faceva facevamo facevate facevano feci
facesti fece facemmo faceste fecero facessi facesse facessimo facessero facendo sto stai sta
stiamo stanno stia stiate stiano starò starai starà staremo starete staranno starei staresti
starebbe staremmo stareste starebbero stavo stavi stava stavamo stavate stavano stetti stesti
stette stemmo steste stettero stessi stesse stessimo stessero stando
""",
    "nl": """
de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om hem
dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar naar heb
hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al waren veel
meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd altijd doch wordt
wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest andere
""",
    "pt": """
de a o que e do da em um para com não uma os no se na por mais as dos como mas ao ele das à
seu sua ou quando muito nos já eu também só pelo pela até isso ela entre depois sem mesmo aos
seus quem nas me esse eles você essa num nem suas meu às minha numa pelos elas qual nós lhe
deles essas esses pelas este dele tu te vocês vos lhes meus minhas teu tua teus tuas nosso
nossa nossos nossas dela delas esta estes estas aquele aquela aqueles aquelas isto aquilo
estou está estamos estão estive esteve estivemos estiveram estava estávamos estavam estivera
estivéramos esteja estejamos estejam estivesse estivéssemos estivessem estiver estivermos
estiverem hei há havemos hão houve houvemos houveram houvera houvéramos haja hajamos hajam
houvesse houvéssemos houvessem houver houvermos houverem houverei houverá houveremos houverão
houveria houveríamos houveriam sou somos são era éramos eram fui foi fomos foram fora fôramos
seja sejamos sejam fosse fôssemos fossem for formos forem serei será seremos serão seria
seríamos seriam tenho tem temos tém tinha tínhamos tinham tive teve tivemos tiveram tivera
tivéramos tenha tenhamos tenham tivesse tivéssemos tivessem tiver tivermos tiverem terei terá
teremos terão teria teríamos teriam
""",
    "cy": """
a ac ag am angen ar arall at beth ble bob bod bu buodd bydd byddaf byddai byddant byddwch
byddwn cael chi cyn dan ddim dim does dros drwy dw dwi dy dydw dydy dyma dyna e ef efo ei eich
ein eisiau eraill ers eto eu faint fe fel felly fi fod fy fydd fyddai gael gan gyda gydag heb
hefyd hi holl hon hun hunain hunan hwn hwy hyd hyn hynny i iawn llawer lle mae maen maent mai
mewn mi mor mwy mwyaf na nad neu nhw ni nid o oedd oeddech oedden oeddwn oes oherwydd ond os
pa pam pan pob pryd pwy rhai rhain rhwng rhy roedd roedden roeddwn rwy rwyf rydw rydych rydym
rydyn sut sy sydd taw ti tros trwy tua tuag unrhyw wedi wrth wyf y ydi ydw ydy ydych ydym ydyn
ydynt ym yma yn yna yng yno yr yw â
""",
}.items()}

# Their stop words that are English words too ("die", "son", "war", "come", "men", "van", and
# names: "Ben", "Dan", "Del", "Les"): stop words only in a text that reads as that language,
# one holding more of its stop words than of English ones (``_foreign_stops``).
ALSO_ENGLISH = frozenset("""
ante aura auras ben bin bob chi col come con dan del dell den die dies dim door dos dove era eras
faint fora fusses hat hay hem hoe hwy ins lei les man men met non nun pan par pour quanta reeds
sea seas sin son soy sue ton tot van war
""".split())

# Words of talk, not of topics, that c-TF-IDF can rank high in a theme whose texts are spoken or
# chatty ("actually", "thing", "made", "known" were keywords of the sample study's themes, and
# "thought" named a banking theme): no keyword or name is made of them, nor a phrase holding one
# ("think someone", "buy something"). Labels only: they still count as words for the clustering's
# keyword view and More like this, so ``STOP_WORDS`` and clustering results do not change. Words
# that name a topic in some study stay out of this list ("new", "help", "sort", "kind", "bit",
# "see", "give", "different"); "really" is a stop word already.
GENERIC_WORDS = frozenset("""
actually basically literally honestly obviously definitely certainly probably maybe perhaps
anyway thing things stuff something anything everything nothing lot lots like likes
make makes made making know knows knew known think thinks thought said going able yes yeah
okay please thanks many
""".split())

# Words a text addresses as it would a person ("Thanks team", "Hi all", "Cheers folks") that
# name nobody: never taken for a person's name (``labels.People``).
ADDRESSED_GROUPS = frozenset("""
team teams everyone everybody all guys folks gang both there sir madam mate mates friends
colleagues people chair god lord lads ladies gents
""".split())
