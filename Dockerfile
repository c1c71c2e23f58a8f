# Build stage: Maven with the same JDK the project targets.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY fhir-profiles fhir-profiles
COPY survival survival
RUN mvn -B -q -DskipTests package

# Runtime stage: a JRE only, running as an unprivileged user.
FROM eclipse-temurin:17-jre
# curl for the Compose healthcheck (readiness).
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN groupadd --system ntx && useradd --system --gid ntx --home-dir /app ntx
WORKDIR /app
COPY --from=build /src/target/naltrexone-fhir-service-*.jar /app/app.jar
USER ntx
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
