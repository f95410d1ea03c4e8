# ruff: noqa: E501  (the claims as the helper wrote them, one per line)
import json
import random
from pathlib import Path

S, R, N = "SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"
DOCS = [
    (
        "kestrin_valo",
        "dev",
        [
            (S, "near-copy", "Kestrin Valo was born in 1994."),
            (
                S,
                "paraphrase",
                "Valo came through the youth academy of FC Dunmere, which he joined at nine years old.",
            ),
            (S, "paraphrase", "Valo's first senior match for FC Dunmere ended in a draw."),
            (S, "combination", "Valo's first move to a foreign club was to SC Rotterburg in 2016."),
            (
                S,
                "paraphrase",
                "A knee injury restricted Valo to 14 league games in his first season at SC Rotterburg.",
            ),
            (
                S,
                "comparative",
                "Harrowgate Athletic paid less to sign Valo than it later paid for Dario Menck.",
            ),
            (
                S,
                "before-after",
                "Valo was made captain of Harrowgate Athletic after Osric Pell retired.",
            ),
            (S, "quantifier", "Kestrin Valo had won more than 60 caps for Veldania by June 2024."),
            (R, "entity", "Kestrin Valo was born in Sarnow."),
            (R, "date", "Valo joined SC Rotterburg in July 2018."),
            (R, "number", "SC Rotterburg paid a reported fee of €2.4 million for Valo."),
            (
                R,
                "before-after",
                "Valo played for Harrowgate Athletic before moving to SC Rotterburg.",
            ),
            (
                R,
                "negation",
                "FC Dunmere did not win any major trophy while Valo was playing for the club.",
            ),
            (R, "antonym", "Veldania lost the match in which Valo made his international debut."),
            (
                R,
                "superlative",
                "Valo made fewer league appearances in 2023–24 than any other outfield player in the Harrowgate squad.",
            ),
            (
                R,
                "role-reversal",
                "Valo's move to Harrowgate Athletic broke the club record fee set by the signing of Dario Menck.",
            ),
            (N, "extra-detail", "Kestrin Valo scored a goal at the 2021 Continental Championship."),
            (
                N,
                "extra-detail",
                "Valo's contract with Harrowgate Athletic contains a release clause.",
            ),
            (N, "extra-detail", "Lena Harsk has competed at the Olympic Games."),
            (
                N,
                "extra-detail",
                "SC Rotterburg won the Alzenian league title while Valo was at the club.",
            ),
            (
                N,
                "extra-detail",
                "Harrowgate Athletic finished in the top half of the Premier Division in 2023–24.",
            ),
            (
                N,
                "extra-detail",
                "Valo left SC Rotterburg after a disagreement with the club's coach.",
            ),
        ],
    ),
    (
        "the_salt_orchard",
        "dev",
        [
            (S, "near-copy", "The Salt Orchard was directed by Ilse Harrowen."),
            (S, "paraphrase", "The Salt Orchard is an adaptation of a novel by Tobiah Quell."),
            (S, "combination", "The Salt Orchard was filmed on the Keswen peninsula in 2016."),
            (
                S,
                "paraphrase",
                "Before The Salt Orchard, Ilse Harrowen had directed only documentaries.",
            ),
            (
                S,
                "before-after",
                "The Salt Orchard was shown at a film festival before it opened in Marovian cinemas.",
            ),
            (
                S,
                "paraphrase",
                "The Salt Orchard earned more than five times its production budget.",
            ),
            (
                S,
                "combination",
                "Maren Oduya won Best Actress at the 2019 Marovian Academy Awards for her role in The Salt Orchard.",
            ),
            (
                S,
                "quantifier",
                "The Salt Orchard won fewer than half of the Marovian Academy Awards for which it was nominated.",
            ),
            (R, "date", "The Salt Orchard was released in Marovian cinemas on 2 May 2018."),
            (R, "antonym", "The Salt Orchard was shot digitally."),
            (R, "number", "Principal photography on The Salt Orchard lasted 14 days."),
            (
                R,
                "entity",
                "The Salt Orchard won the Silver Heron for best screenplay at the Lindholm International Film Festival.",
            ),
            (
                R,
                "antonym",
                "Castor Venn won Best Supporting Actor at the 2019 Marovian Academy Awards.",
            ),
            (R, "quantifier", "Most of The Salt Orchard's box-office takings came from Marovia."),
            (
                R,
                "role-reversal",
                "The Salt Orchard overtook Two Fathers in Winter as the highest-grossing domestic film in Marovia.",
            ),
            (
                R,
                "negation",
                "The Salt Orchard received a nomination for Best International Feature Film at the 92nd Academy Awards.",
            ),
            (
                N,
                "extra-detail",
                "Maren Oduya had worked with Ilse Harrowen before The Salt Orchard.",
            ),
            (
                N,
                "extra-detail",
                "The Salt Orchard was the most expensive film ever funded by the Marovian Film Fund.",
            ),
            (
                N,
                "extra-detail",
                "Greyline Films released The Salt Orchard in more than 500 North American cinemas.",
            ),
            (N, "extra-detail", "Tobiah Quell's novel The Salt Orchard won a literary prize."),
            (N, "extra-detail", "Pilar Ashby played Anna Reske's sister in The Salt Orchard."),
            (N, "extra-detail", "The Salt Orchard was released on home video in 2019."),
        ],
    ),
    (
        "wildfire_calder_ridge",
        "dev",
        [
            (
                S,
                "paraphrase",
                "Over 4,000 people were told to evacuate as the Sennet Hills wildfire moved towards Calder Ridge.",
            ),
            (
                S,
                "near-copy",
                "The Sennet Hills wildfire was first reported near a campsite on the Old Mill Road.",
            ),
            (
                S,
                "comparative",
                "The 2017 Harlow Valley fire burned a larger area than the Sennet Hills wildfire had burned by Wednesday morning.",
            ),
            (
                S,
                "paraphrase",
                "Two firefighters were hospitalised with burns from the Sennet Hills wildfire.",
            ),
            (S, "paraphrase", "The fire destroyed a primary school in Amberly."),
            (
                S,
                "paraphrase",
                "Helga Brandt said that more than 600 personnel were fighting the fire.",
            ),
            (
                S,
                "combination",
                "A 26-year-old man was arrested after police said the fire had been started by an unattended campfire.",
            ),
            (
                S,
                "paraphrase",
                "Each household displaced by the fire is to receive an emergency payment of 1,500 crowns.",
            ),
            (R, "date", "The Sennet Hills wildfire was first reported on a Monday."),
            (
                R,
                "number",
                "By Wednesday morning the Sennet Hills wildfire had burned roughly 21,500 hectares.",
            ),
            (R, "antonym", "Two firefighters died fighting the Sennet Hills wildfire."),
            (
                R,
                "before-after",
                "Crews stopped the flames at the Tamsin River before they reached Amberly.",
            ),
            (
                R,
                "comparative",
                "Monday's temperature of 39 °C was lower than the previous August record.",
            ),
            (
                R,
                "antonym",
                "According to the Green Alliance, the government increased the fire service's budget by 8% last year.",
            ),
            (
                R,
                "entity",
                "Premier Jonas Ekholm visited an evacuation centre in Amberly on Tuesday evening.",
            ),
            (
                R,
                "negation",
                "Residents of Calder Ridge have been allowed to return to their homes.",
            ),
            (N, "extra-detail", "The man arrested over the fire lives in Calder Ridge."),
            (N, "extra-detail", "The Sennet Hills wildfire was fully contained by the weekend."),
            (
                N,
                "extra-detail",
                "The firefighter in a serious condition had more than ten years of experience.",
            ),
            (N, "extra-detail", "The Harlow Valley fire was also caused by a campfire."),
            (
                N,
                "extra-detail",
                "More than 1,000 people stayed at the evacuation centre in Lessing.",
            ),
            (
                N,
                "extra-detail",
                "Helga Brandt asked a neighbouring province for additional water-bombing aircraft.",
            ),
        ],
    ),
    (
        "carvania_budget",
        "dev",
        [
            (S, "near-copy", "Adela Moravec is Carvania's finance minister."),
            (
                S,
                "paraphrase",
                "Carvania's basic income tax rate will drop by two percentage points under the 2025 budget.",
            ),
            (
                S,
                "comparative",
                "Carvania's budget deficit is projected to be lower in 2025 than in 2024.",
            ),
            (S, "paraphrase", "The top rate of income tax in Carvania will stay at 45%."),
            (
                S,
                "comparative",
                "Carvania's planned defence spending for 2025 exceeds the alliance target of 2% of GDP.",
            ),
            (S, "comparative", "Carvania will spend more on health than on defence in 2025."),
            (S, "paraphrase", "Tomas Kerr is the leader of the Social Democrats."),
            (
                S,
                "quantifier",
                "The governing coalition holds a majority of the seats in Carvania's parliament.",
            ),
            (R, "number", "The basic rate of income tax in Carvania will fall from 22% to 18%."),
            (R, "date", "Carvania's income tax cut takes effect on 1 January 2026."),
            (R, "antonym", "Total public spending in Carvania will fall by 4.1% in 2025."),
            (R, "superlative", "Health is the largest single item in Carvania's 2025 budget."),
            (
                R,
                "before-after",
                "Carvania had already met the alliance's 2% defence spending target before 2025.",
            ),
            (
                R,
                "quantifier",
                "Every government ministry in Carvania will receive more money under the 2025 budget.",
            ),
            (
                R,
                "comparative",
                "The Carvanian Institute for Fiscal Studies estimated that the bank levy would raise more than the tax cut would cost.",
            ),
            (R, "entity", "Tomas Kerr presented the 2025 budget to Carvania's parliament."),
            (
                N,
                "extra-detail",
                "The bank levy will apply only to banks with annual profits above 100 million marks.",
            ),
            (
                N,
                "extra-detail",
                "Adela Moravec belongs to the same party as Carvania's prime minister.",
            ),
            (N, "arithmetic-trap", "The Social Democrats hold 86 seats in Carvania's parliament."),
            (N, "extra-detail", "Carvania's unemployment rate fell in 2024."),
            (
                N,
                "extra-detail",
                "At least one regional rail line will close as a result of the 2025 budget.",
            ),
            (
                N,
                "extra-detail",
                "Details of the 2025 budget were leaked to the press before Moravec presented it.",
            ),
        ],
    ),
    (
        "tallamon_islands",
        "heldout",
        [
            (S, "quantifier", "Fewer than half of the Tallamon Islands are inhabited."),
            (S, "near-copy", "Port Essery is the largest city in the Tallamon Islands."),
            (S, "paraphrase", "The population of the Tallamon Islands grew between 2011 and 2021."),
            (
                S,
                "combination",
                "The Tallamon Islands gained independence from the Kingdom of Orvell in 1969.",
            ),
            (
                S,
                "paraphrase",
                "The Tallamon Islands became a parliamentary republic following a referendum in 1994.",
            ),
            (S, "paraphrase", "Mount Ketter on Great Tallam rises to more than 1,400 metres."),
            (S, "paraphrase", "Cyclone Arva left over 6,000 people without homes in 2004."),
            (
                S,
                "paraphrase",
                "Tourism made up roughly 25 percent of the Tallamon Islands' GDP in 2019.",
            ),
            (R, "number", "The Tallamon Islands consist of 37 islands."),
            (
                R,
                "role-reversal",
                "The Orvellian crown replaced the Tallamon dollar as the islands' currency in 1972.",
            ),
            (R, "date", "The Tallamon Islands became independent on 4 November 1996."),
            (
                R,
                "entity",
                "Castellan traders ruled the Tallamon Islands from 1788 until independence.",
            ),
            (R, "date", "Most of the rain in the Tallamon Islands falls between June and October."),
            (R, "negation", "Orvellian is one of the official languages of the Tallamon Islands."),
            (R, "antonym", "Visitor arrivals in the Tallamon Islands rose by 71% in 2020."),
            (
                R,
                "superlative",
                "Great Tallam is the smallest inhabited island in the Tallamon Islands.",
            ),
            (N, "extra-detail", "Vanilla is the most valuable export of the Tallamon Islands."),
            (
                N,
                "extra-detail",
                "English is the first language of about 10% of the Tallamon Islands' population.",
            ),
            (N, "extra-detail", "Sella has an airport."),
            (N, "extra-detail", "The Tallamon Islands are a member of the United Nations."),
            (N, "extra-detail", "Cyclone Arva caused deaths in Port Essery."),
            (
                N,
                "extra-detail",
                "Visitor arrivals in the Tallamon Islands had returned to their 2019 level by 2023.",
            ),
        ],
    ),
    (
        "tessaline_technologies",
        "heldout",
        [
            (
                S,
                "paraphrase",
                "Tessaline Technologies was founded by two former PostSwift engineers.",
            ),
            (S, "paraphrase", "Tessaline Technologies has its headquarters in Halvik."),
            (S, "combination", "RouteLoom, Tessaline's first product, came out in 2014."),
            (
                S,
                "before-after",
                "Tessaline bought Pallety after raising money in a funding round led by Corvane Capital.",
            ),
            (
                S,
                "superlative",
                "The GeoKarst deal was the most expensive acquisition Tessaline had made up to that point.",
            ),
            (
                S,
                "paraphrase",
                "Mira Okonkwo-Hale became chief executive of Tessaline Technologies in 2021.",
            ),
            (S, "number", "Tessaline's revenue more than tripled between 2019 and 2023."),
            (S, "quantifier", "Most of Tessaline's revenue is earned outside Ardenia."),
            (R, "date", "Tessaline Technologies was founded in 2015."),
            (R, "entity", "Tessaline Technologies was started in a rented garage in Halvik."),
            (
                R,
                "before-after",
                "Tessaline moved its headquarters to Halvik after it was listed on the Halvik Stock Exchange.",
            ),
            (R, "number", "Tessaline acquired GeoKarst for $104 million."),
            (R, "negation", "Tessaline completed its merger with Transicor in 2022."),
            (
                R,
                "role-reversal",
                "Jannik Sorvald succeeded Mira Okonkwo-Hale as chief executive of Tessaline in 2021.",
            ),
            (R, "quantifier", "Tessaline reported a net profit in every year from 2019 to 2023."),
            (R, "antonym", "Tessaline's revenue fell between 2019 and 2023."),
            (N, "extra-detail", "Corvane Capital also invested in GeoKarst."),
            (N, "extra-detail", "Tessaline's net profit in 2022 exceeded $10 million."),
            (
                N,
                "extra-detail",
                "Jannik Sorvald left PostSwift after a dispute with its management.",
            ),
            (N, "extra-detail", "RouteLoom is currently used by more than 1,000 delivery firms."),
            (N, "extra-detail", "Tessaline's share price rose on its first day of trading."),
            (N, "extra-detail", "Transicor is based in Ardenia."),
        ],
    ),
    (
        "estrian_cup_final",
        "heldout",
        [
            (
                S,
                "paraphrase",
                "Hallam Rovers beat Brackwater City after extra time in the Estrian Cup final.",
            ),
            (S, "quantifier", "More than 68,000 spectators attended the Estrian Cup final."),
            (
                S,
                "paraphrase",
                "Kasimir Tiernan scored the winning goal in the Estrian Cup final with a header.",
            ),
            (S, "paraphrase", "Kasimir Tiernan did not start the Estrian Cup final."),
            (S, "before-after", "Brackwater City scored the first goal of the Estrian Cup final."),
            (S, "paraphrase", "Olek Varga was sent off after receiving two yellow cards."),
            (S, "paraphrase", "Sigrid Holm is the first female head coach to win the Estrian Cup."),
            (S, "comparative", "Brackwater City had more shots than Hallam Rovers in the final."),
            (R, "date", "Before this final, Hallam Rovers had last won the Estrian Cup in 2009."),
            (R, "number", "Hallam Rovers won the Estrian Cup final 3–1."),
            (
                R,
                "role-reversal",
                "Kasimir Tiernan crossed for Lior Abend to score the winning goal.",
            ),
            (R, "before-after", "Matti Aalto equalised for Hallam Rovers in the first half."),
            (R, "entity", "Nuno Bastide opened the scoring from a penalty kick."),
            (R, "entity", "Olek Varga played for Hallam Rovers in the Estrian Cup final."),
            (R, "negation", "Paulo Renz blamed the referee for Brackwater City's defeat."),
            (
                R,
                "comparative",
                "Hallam Rovers finished above Brackwater City in the league this season.",
            ),
            (N, "extra-detail", "Daniel Oakes had refereed an Estrian Cup final before."),
            (N, "extra-detail", "Kasimir Tiernan has spent his whole career at Hallam Rovers."),
            (
                N,
                "extra-detail",
                "Lior Abend was named player of the match in the Estrian Cup final.",
            ),
            (
                N,
                "extra-detail",
                "Brackwater City won the league match they played three days before the final.",
            ),
            (N, "extra-detail", "Sigrid Holm has signed a contract extension with Hallam Rovers."),
            (N, "extra-detail", "The National Stadium has a capacity of more than 70,000."),
        ],
    ),
    (
        "aldcombe_museum_theft",
        "heldout",
        [
            (
                S,
                "paraphrase",
                "Four items from the Fennick Hoard were stolen from the Aldcombe Museum.",
            ),
            (S, "paraphrase", "A farmer found the Fennick Hoard in 1962."),
            (
                S,
                "paraphrase",
                "Police reached the Aldcombe Museum nine minutes after the alarm was triggered.",
            ),
            (S, "paraphrase", "A bracelet was among the objects taken from the Aldcombe Museum."),
            (S, "paraphrase", "The stolen pieces were worth roughly £2.1 million in total."),
            (
                S,
                "paraphrase",
                "Hamish Delacroix said the museum's biggest fear was that the stolen objects would be melted down.",
            ),
            (
                S,
                "combination",
                "The roof window through which the thieves are believed to have entered had no sensor.",
            ),
            (
                S,
                "quantifier",
                "Most of the pieces of the Fennick Hoard were not stolen in the raid.",
            ),
            (R, "entity", "The thieves entered the Aldcombe Museum through the front door."),
            (R, "negation", "The Aldcombe Museum's alarm did not go off during the raid."),
            (R, "number", "CCTV images released by police show two masked people."),
            (
                R,
                "comparative",
                "Experts said the historical value of the stolen objects was lower than their estimated value of £2.1 million.",
            ),
            (R, "date", "The Aldcombe Museum reopened in 2016 after a three-year renovation."),
            (
                R,
                "antonym",
                "The remaining pieces of the Fennick Hoard were kept in the same gallery as the stolen items.",
            ),
            (
                R,
                "quantifier",
                "The thieves took every piece of the Fennick Hoard held by the Aldcombe Museum.",
            ),
            (
                R,
                "entity",
                "The £50,000 reward for information was offered by the Westmarch Constabulary.",
            ),
            (N, "extra-detail", "The dark grey van used by the thieves was later found abandoned."),
            (N, "extra-detail", "The Fennick Hoard was discovered on farmland near Tarrow."),
            (N, "extra-detail", "The Aldcombe Museum charges visitors an entry fee."),
            (
                N,
                "extra-detail",
                "Hamish Delacroix has been director of the Aldcombe Museum since 2019.",
            ),
            (N, "extra-detail", "The 1987 chalice theft was carried out by the same gang."),
            (
                N,
                "extra-detail",
                "Last year's security upgrade at the Aldcombe Museum cost more than £100,000.",
            ),
        ],
    ),
]
rng = random.Random(4)
out, i = [], 0
for doc, split, claims in DOCS:
    cl = list(claims)
    rng.shuffle(cl)
    for lab, kind, text in cl:
        i += 1
        out.append(
            {
                "cid": f"q{i:03d}",
                "claim": text,
                "label": lab,
                "kind": kind,
                "doc": doc,
                "split": split,
            }
        )
with open(Path(__file__).resolve().parents[1] / "claims.jsonl", "w", encoding="utf-8") as f:
    for o in out:
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
print(i)
