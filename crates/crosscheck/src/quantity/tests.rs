//! Tests of the `quantity` module.

use super::*;

fn values(text: &str) -> Vec<(f64, Option<(f64, f64)>)> {
    quantities(text)
        .into_iter()
        .map(|q| (q.value, q.range))
        .collect()
}

#[test]
fn names_codes_clocks_days_and_ages_are_not_quantities() {
    for text in [
        "The iPhone 11 Pro went on sale.",
        "Shares in the FTSE 100 fell.",
        "The team tied Game 7 with 4:39 left to play.",
        "The vote is on March 7 in the capital.",
        "Jamie Armstrong, 25, said she had moved.",
        "Tests for COVID-19 arrived.",
        "They sold the house at 49 Zorro Ranch Road last year.",
        "Reusing the same one across accounts is risky.",
        "The category 4 hurricane reached the coast.",
        "Prices in the 90049 ZIP Code, based on sales, rose.",
    ] {
        assert_eq!(values(text), vec![], "{text}");
    }
}

#[test]
fn ranges_negatives_fractions_and_glued_units() {
    let v = |t: &str| values(t);
    assert_eq!(
        v("from 252 miles to 287 miles"),
        vec![(269.5, Some((252.0, 287.0)))]
    );
    assert_eq!(
        v("prices rose between 5% and 6% this year"),
        vec![(5.5, Some((5.0, 6.0)))]
    );
    assert_eq!(
        v("over the past three or four years"),
        vec![(3.5, Some((3.0, 4.0)))]
    );
    assert_eq!(v("the offense was minus-5 yards"), vec![(-5.0, None)]);
    assert_eq!(v("Nearly two-thirds of sales"), vec![(2.0 / 3.0, None)]);
    assert_eq!(v("One out of three Germans"), vec![(1.0 / 3.0, None)]);
    assert_eq!(v("a third-party review"), vec![]);
    assert_eq!(
        v("A fluid ounce is 1/16 of a pint."),
        vec![(1.0 / 16.0, None)]
    );
    assert_eq!(v("There were 4 hundred million people."), vec![(4e8, None)]);
    assert_eq!(v("Take 500mg tablets."), vec![(500.0, None)]);
    assert_eq!(v("It is worth exactly $2000."), vec![(2000.0, None)]);
    assert_eq!(v("It is a million dollar house."), vec![(1e6, None)]);
    let q = quantities("Heineken Malaysia rose to RM23.50 on Monday.");
    assert_eq!(
        (q[0].value, q[0].unit.as_str()),
        (23.5, "malaysian ringgit")
    );
    // Whole years and tied scores are not ranges of anything.
    assert_eq!(v("Between 1600 and 1900 it was cold."), vec![]);
    assert_eq!(v("They tied at 89-89."), vec![]);
}

#[test]
fn concept_is_the_of_phrase_the_subject_or_the_object() {
    let concept = |t: &str| {
        quantities(t)
            .into_iter()
            .map(|q| q.concept)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        concept("The harbour fuel contract was up 19 cents on Monday."),
        ["harbour fuel contract"]
    );
    assert_eq!(
        concept("The ferry line earns more than 60 per cent of its revenue in summer."),
        ["revenue"]
    );
    assert_eq!(
        concept("It will also extend the ferry range by about 35 miles."),
        ["ferry range"]
    );
}

#[test]
fn values_units_ranges_and_qualifiers() {
    let q = quantities("Prices rose about 19 per cent to US $58.24 per barrel; 50mph winds, 1 to 1.5 degrees Celsius, dozens of people and more than 3,000 homes on 16 December 2024.");
    type Row<'a> = (f64, Option<(f64, f64)>, &'a str, &'a str);
    let got: Vec<Row<'_>> = q
        .iter()
        .map(|q| (q.value, q.range, q.change, q.unit.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (19.0, None, "~", "percentage"),
            (58.24, None, "=", "dollar"),
            (50.0, None, "=", "mile per hour"),
            (1.25, Some((1.0, 1.5)), "=", "celsius"),
            (66.0, Some((12.0, 120.0)), "=", "people"),
            (3000.0, None, ">", "home"),
        ],
        "{q:#?}"
    );
}
