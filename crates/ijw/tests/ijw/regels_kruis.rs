//! The rules across messages (technische-regels/berichtoverstijgend): each against a History, with its own retour code.
