/// Synthetic messages written for these tests (no real patient). Segments end with CR.
enum Samples {
    static let adtA01 =
        [
            #"MSH|^~\&|REGADT|GOODHEALTH|RSP|GOODHEALTH|20240105083000-0500||ADT^A01^ADT_A01|MSG00001|P|2.5.1"#,
            #"EVN|A01|20240105083000"#,
            #"PID|1||000123^^^GHH^MR~987-65-4320^^^SSA^SS||DOE^JANE^Q^^MS||19800214|F|||100 MAIN ST^^SPRINGFIELD^IL^62701||(217)555-0100"#,
            #"PV1|1|I|4N^401^A^GOODHEALTH||||1234^SMITH^ANNA^^^DR|||MED||||1|||1234^SMITH^ANNA^^^DR|IN||||||||||||||||||||||||||20240105082000"#,
        ].joined(separator: "\r") + "\r"

    static let oruR01 =
        [
            #"MSH|^~\&|LAB|GOODHEALTH|EHR|GOODHEALTH|20240310101500||ORU^R01^ORU_R01|LAB0042|P|2.5.1"#,
            #"PID|1||000123^^^GHH^MR||DOE^JANE||19800214|F"#,
            #"ORC|RE|ORD1001"#,
            #"OBR|1|ORD1001|FIL2001|4548-4^Hemoglobin A1c/Hemoglobin.total in Blood^LN|||20240310080000"#,
            #"OBX|1|NM|4548-4^Hemoglobin A1c/Hemoglobin.total in Blood^LN||7.2|%^percent^UCUM|4.0-5.6|H|||F|||20240310094500"#,
            #"NTE|1||Above goal for most adults with diabetes \T\ review therapy.\.br\Repeat in 3 months."#,
            #"OBR|2|ORD1002|FIL2002|2345-7^Glucose [Mass/volume] in Serum or Plasma^LN|||20240310080000"#,
            #"OBX|1|NM|2345-7^Glucose [Mass/volume] in Serum or Plasma^LN||142|mg/dL^milligram per deciliter^UCUM|70-99|H|||F|||20240310094500"#,
            #"OBX|2|ST|8251-1^Service comment^LN||Fasting \F\ 10 h||||||F"#,
        ].joined(separator: "\r") + "\r"
}
