CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL,
  total numeric(12, 2) NOT NULL
);
-- orders already exists here? No: it was created above, so these are fine.
CREATE INDEX orders_user_id_idx ON orders (user_id);
