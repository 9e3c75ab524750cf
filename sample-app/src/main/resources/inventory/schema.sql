CREATE TABLE stock (item VARCHAR(64) PRIMARY KEY, available INT NOT NULL);
INSERT INTO stock (item, available) VALUES
  ('book', 40), ('lamp', 12), ('chair', 7), ('kettle', 25), ('mug', 60), ('pen', 90);
